import { isDirectory, type InodeRow } from '../dal/inode-row';
import type { ContentSummary } from '../domain/content-summary';
import { fileNotFound } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction } from '../security/permission-checker';
import { resolveTarget } from './resolve-target';
import type { OpContext } from '../tx/op-context';
import { countRow, emptyCounts } from './subtree-usage';
import { walkPages } from './subtree-walk';
import { countedQuotaUsage, quotaFieldsOf } from '../quota/quota-report';
import type { QuotaUsage } from '../domain/quota-usage';

/** Pages of a summary read through getListing's reader (and its cache) before the rest are read directly. */
const CACHED_SUMMARY_PAGES = 256;

/**
 * du -s: counts the subtree; every directory in it must be readable and
 * searchable. The walk reads one page of `listingLimit` rows of one
 * directory at a time, each its own unlocked read (the first ones through
 * the coherent cache when there is one), so a subtree of a
 * million files costs bounded memory and no long transaction; like HDFS's
 * (which yields its lock every dfs.content-summary.limit items) the
 * summary is not one point-in-time snapshot of a tree that changes meanwhile.
 * The root's quotas come with it.
 */
export async function getContentSummary(ctx: OpContext, caller: Caller, src: string): Promise<ContentSummary> {
  const path = parsePath(src);
  // DirOp.READ_LINK: the summary of a link is the link's own (one file), not its target's.
  const root = await ctx.runner.read('getContentSummary', (r) => resolveTarget(r, caller, path, false));
  if (!root) throw fileNotFound(`File does not exist: ${path.text}`);
  const counts = emptyCounts();
  const count = (row: InodeRow) => {
    if (isDirectory(row)) checkAccess(caller, row, FsAction.READ_EXECUTE, row === root ? path.text : `${path.text}/…/${row.name}`);
    countRow(counts, row);
  };
  count(root);
  // The first directories' pages come through getListing's reader (the coherent cache, when there is one: a small
  // tree costs no statement); a big tree's further pages are read directly, so one du cannot flush the cache.
  let listed = 0;
  const page = async (dir: number, after: string, limit: number) =>
    listed++ < CACHED_SUMMARY_PAGES
      ? ctx.childPageReads.get({ parentId: dir, startAfter: after })
      : ctx.runner.query('getContentSummary', ctx.dal.inodes.findChildrenByParent(dir, after, limit));
  await walkPages(root, ctx.config.listingLimit, page, (_parent, rows) => rows.forEach(count));
  const quotas = await ctx.runner.read('getContentSummary', (r) => quotaFieldsOf(r, root));
  return { length: counts.length, fileCount: counts.files, directoryCount: counts.directories, spaceConsumed: counts.storageSpace, ...quotas };
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
