import type { RetryKey } from '../domain/retry-key';
import { isDirectory, isFile, type InodeRow } from '../dal/inode-row';
import { notEmptyDirectory } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, checkStickyBit, checkTraverse, FsAction } from '../security/permission-checker';
import { prefixText } from '../tx/path-resolver';
import type { WriteContext } from '../tx/tx-contexts';
import { removeFileBlocks } from '../blocks/remove-blocks';
import type { OpContext } from '../tx/op-context';
import { walkSubtree } from './subtree';
import { withChildDelta } from './directory-items';
import { policyUnder, quotaDirsOf } from '../quota/file-charge';
import { usageOfRows } from '../quota/subtree-usage';
import { applyUsageDelta } from '../quota/usage-ledger';
import { negateUsage } from '../domain/quota';
import { checkSubtreeDeletable } from './subtree-access';

const CHUNK = 500;

/**
 * Removes `victims` and everything that hangs off them (xattrs, lease
 * paths, blocks and their replicas). Shared by delete and by rename/create with overwrite.
 */
export async function removeInodes(tx: WriteContext, victims: readonly InodeRow[]): Promise<void> {
  const changes = tx.changes;
  const holders = new Set<string>();
  for (const v of victims) {
    changes.delete(v);
    if (v.ucClient) holders.add(v.ucClient);
  }
  const ids = victims.map((v) => v.id);
  const { xattrs, leases } = tx.dal;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    changes.add(xattrs.deleteByInodesBatched(chunk), leases.deletePathsByInodesBatched(chunk));
  }
  for (const h of holders) changes.add(leases.deleteIfEmpty(h));
  // A quota directory that goes takes its limits and usage rows with it.
  for (const v of victims) if (v.hasQuota) changes.add(tx.dal.quotas.deleteLimitsByDir(v.id), tx.dal.quotas.deleteStripesByDir(v.id));
  await removeFileBlocks(tx, victims.filter(isFile).map((v) => v.id));
}

export async function deletePath(ctx: OpContext, caller: Caller, src: string, recursive: boolean, retryKey?: RetryKey): Promise<boolean> {
  const path = parsePath(src);
  const n = path.components.length;
  const prefix = (d: number) => prefixText(path, d);
  if (n === 0) return false; // HDFS refuses to delete the root and answers false.
  return ctx.runner.write('delete', [{ path, parent: 'exclusive', target: 'exclusive', followLink: false }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    const target = lp.target;
    const parent = lp.parent;
    if (!target || !parent) return false;
    checkTraverse(caller, lp.rows, n, prefix);
    checkAccess(caller, parent, FsAction.WRITE, prefix(n - 1));
    checkStickyBit(caller, parent, target, path.text);
    const victims: InodeRow[] = [target];
    if (isDirectory(target)) {
      if (!recursive) {
        if (await tx.run(tx.dal.inodes.hasChildrenByParent(target.id))) throw notEmptyDirectory(`\`${path.text} is non empty': Directory is not empty`);
      } else {
        await walkSubtree(target, tx, (rows) => victims.push(...rows));
        checkSubtreeDeletable(caller, target, victims, path.text);
      }
    }
    const quotaDirs = quotaDirsOf(lp.rows, path, n - 1);
    if (quotaDirs.length > 0) await applyUsageDelta(tx, quotaDirs, negateUsage(await usageOfRows(tx, victims, policyUnder(lp.rows))));
    await removeInodes(tx, victims);
    tx.changes.update(parent, withChildDelta({ ...parent, mtime: tx.now }, -1, ctx.config.maxDirectoryItems, prefix(n - 1)));
    tx.onCommit(() => ctx.runner.forgetPath(path));
    return true;
  }, { retryKey });
}
