import type { RetryKey } from '../domain/retry-key';
import { isDirectory, type InodeRow } from '../dal/inode-row';
import { notEmptyDirectory } from '../errors';
import { parsePath, type HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, checkStickyBit, checkTraverse, FsAction } from '../security/permission-checker';
import { notADirectory } from './resolve-target';
import { prefixText } from '../tx/path-resolver';
import { refuseLockedSubtree } from '../tx/subtree-lock-check';
import type { OpContext } from '../tx/op-context';
import { deleteSubtree } from './delete-subtree';
import { addedTo } from './directory-items';
import { removeInodes } from './remove-inodes';
import { SubtreeTooBig, walkSubtree } from './subtree';
import { policyUnder, quotaDirsOf } from '../quota/file-charge';
import { usageOfRows } from '../quota/subtree-usage';
import { applyUsageDelta } from '../quota/usage-ledger';
import { negateUsage } from '../domain/quota';
import { checkSubtreeDeletable } from './subtree-access';
import { refuseDeletingSnapshotsIn } from './snapshot-guards';

/**
 * ClientProtocol.delete. A file, an empty directory, or a subtree of up to
 * `subtreeThreshold` inodes goes in one transaction; a bigger subtree runs
 * as a subtree operation (delete-subtree.ts).
 */
export async function deletePath(ctx: OpContext, caller: Caller, src: string, recursive: boolean, retryKey?: RetryKey): Promise<boolean> {
  const path = parsePath(src);
  if (path.components.length === 0) return false; // HDFS refuses to delete the root and answers false.
  try {
    return await deleteInOneTransaction(ctx, caller, path, recursive, retryKey);
  } catch (e) {
    if (!(e instanceof SubtreeTooBig)) throw e;
  }
  return deleteSubtree(ctx, caller, path, retryKey);
}

async function deleteInOneTransaction(ctx: OpContext, caller: Caller, path: HdfsPath, recursive: boolean, retryKey?: RetryKey): Promise<boolean> {
  const n = path.components.length;
  const prefix = (d: number) => prefixText(path, d);
  // The directory deleted from is read unlocked and touched last, as create's (directory-items.ts), so deletes
  // in one directory do not queue on its row for their whole transactions; exact: locked.
  const specs = (exact: boolean) => [{ path, parent: exact ? 'exclusive' : 'none', target: 'exclusive', followLink: false, touchesParent: true }] as const;
  return ctx.runner.write('delete', specs, async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    const target = lp.target;
    const parent = lp.parent;
    // resolvePath's traverse check comes first in HDFS: before a missing path answers false.
    checkTraverse(caller, lp.rows, n, prefix);
    if (lp.throughFile) throw notADirectory(path, lp.rows.length - 1);
    if (!target || !parent) return false;
    checkAccess(caller, parent, FsAction.WRITE, prefix(n - 1));
    checkStickyBit(caller, parent, target, path.text);
    const victims: InodeRow[] = [target];
    if (isDirectory(target)) {
      if (!recursive) {
        if (await tx.run(tx.dal.inodes.hasChildrenByParent(target.id))) throw notEmptyDirectory(`\`${path.text} is non empty': Directory is not empty`);
      } else {
        const visit = (rows: readonly InodeRow[]) => {
          refuseLockedSubtree(path.text, rows, ctx.membership);
          victims.push(...rows);
        };
        await walkSubtree(target, tx, visit, ctx.config.subtreeThreshold);
        checkSubtreeDeletable(caller, target, victims, path.text);
        refuseDeletingSnapshotsIn(target, victims, path.text);
      }
    }
    const quotaDirs = quotaDirsOf(lp.rows, path, n - 1);
    if (quotaDirs.length > 0) await applyUsageDelta(tx, quotaDirs, negateUsage(await usageOfRows(tx, victims, policyUnder(lp.rows))));
    // A lone victim is the target, read under its exclusive lock; a walked subtree's rows are not.
    await removeInodes(tx, victims, victims.length === 1);
    addedTo(tx, parent, -1, ctx.config.maxDirectoryItems, prefix(n - 1));
    tx.onCommit(() => ctx.runner.forgetPath(path));
    return true;
    // A file's replicas (removeFileBlocks reads them to queue invalidations) travel in the lock round trip.
  }, { retryKey, reads: ([target]) => (target ? [ctx.dal.replicas.findByInodesBatched([target.id])] : []) });
}
