import { isDirectory, isFile } from '../dal/inode-row';
import type { ContentSummary } from '../domain/content-summary';
import { fileNotFound } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction } from '../security/permission-checker';
import { resolveTarget } from './resolve-target';
import type { OpContext } from '../tx/op-context';
import { walkSubtree } from './subtree';
import { countedQuotaUsage, quotaFieldsOf } from '../quota/quota-report';
import type { QuotaUsage } from '../domain/quota-usage';

/** du -s: counts the subtree, with its root's quotas; every directory in it must be readable and searchable. */
export async function getContentSummary(ctx: OpContext, caller: Caller, src: string): Promise<ContentSummary> {
  const path = parsePath(src);
  return ctx.runner.read('getContentSummary', async (r) => {
    // DirOp.READ_LINK: the summary of a link is the link's own (one file), not its target's.
    const root = await resolveTarget(r, caller, path, false);
    if (!root) throw fileNotFound(`File does not exist: ${path.text}`);
    let length = 0;
    let spaceConsumed = 0;
    let fileCount = 0;
    let directoryCount = 0;
    const count = (row: typeof root) => {
      if (isDirectory(row)) {
        checkAccess(caller, row, FsAction.READ_EXECUTE, row === root ? path.text : `${path.text}/…/${row.name}`);
        directoryCount++;
      } else {
        // HDFS counts a symlink as a file (fileCount is files plus symlinks).
        fileCount++;
        if (isFile(row)) {
          length += row.length;
          spaceConsumed += row.length * row.replication;
        }
      }
    };
    count(root);
    await walkSubtree(root, r, (rows) => rows.forEach(count));
    return { length, fileCount, directoryCount, spaceConsumed, ...(await quotaFieldsOf(r, root)) };
  });
}

/**
 * ClientProtocol.getQuotaUsage: a quota directory answers from its usage
 * counters; anything else is counted as getContentSummary counts it (HDFS
 * does the same), with no quota.
 */
export async function getQuotaUsage(ctx: OpContext, caller: Caller, src: string): Promise<QuotaUsage> {
  const path = parsePath(src);
  const counted = await ctx.runner.read('getQuotaUsage', async (r) => {
    const root = await resolveTarget(r, caller, path, false);
    if (!root) throw fileNotFound(`File does not exist: ${path.text}`);
    return root.hasQuota ? countedQuotaUsage(r, root) : undefined;
  });
  if (counted) return counted;
  const s = await getContentSummary(ctx, caller, src);
  return { fileAndDirectoryCount: s.fileCount + s.directoryCount, quota: -1, spaceConsumed: s.spaceConsumed, spaceQuota: -1 };
}
