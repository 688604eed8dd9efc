import type { InodeRow } from '../dal/inode-row';
import type { RetryKey } from '../domain/retry-key';
import { subtreeLocked } from '../errors';
import type { HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, checkStickyBit, checkTraverse, denial, FsAction, hasAccess } from '../security/permission-checker';
import type { OpContext } from '../tx/op-context';
import { prefixText } from '../tx/path-resolver';
import { withChildDelta } from './directory-items';
import { removeInodes } from './remove-inodes';
import { emptySubtree } from './subtree-delete';
import { checkStillOwned, lockSubtree, pauseForTests, releaseMutations, underSubtreeLock } from './subtree-lock';
import { quiesceSubtree } from './subtree-quiesce';
import { subtreeUsageChanged } from './subtree-usage';
import { refuseDeletingSnapshots } from './snapshot-guards';

/**
 * A recursive delete of a subtree above `subtreeThreshold` inodes, as a
 * subtree operation:
 * 1. one short transaction checks what HDFS checks of the path (traverse,
 *    WRITE on the parent, the sticky bit), refuses an overlapping live
 *    operation, locks the root and records the operation;
 * 2. the walk (subtree-quiesce.ts) waits out block operations in flight and
 *    checks FsAction.ALL on every non-empty directory, as HDFS's
 *    FSDirDeleteOp does for a caller that is not the superuser, before
 *    anything is removed;
 * 3. bounded transactions empty the subtree bottom up (subtree-delete.ts),
 *    then one transaction removes the root from its parent, ends the
 *    operation and records the call's answer in the retry cache.
 * A retry of a call that finished gets the recorded answer; a retry of one
 * whose namenode died takes the dead lock over and finishes the job.
 */
export async function deleteSubtree(ctx: OpContext, caller: Caller, path: HdfsPath, retryKey: RetryKey | undefined): Promise<boolean> {
  if (retryKey) {
    const earlier = await ctx.runner.recordedAnswer<boolean>(retryKey);
    if (earlier) return earlier.answer;
  }
  const n = path.components.length;
  const prefix = (d: number) => prefixText(path, d);
  const spec = { path, parent: 'shared', target: 'exclusive', followLink: false } as const;
  const locked = await ctx.runner.write('delete.lockSubtree', [spec], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    const { target, parent } = lp;
    if (!target || !parent) return undefined;
    checkTraverse(caller, lp.rows, n, prefix);
    checkAccess(caller, parent, FsAction.WRITE, prefix(n - 1));
    checkStickyBit(caller, parent, target, path.text);
    await lockSubtree(ctx, tx, target, 'delete', path.text);
    return { root: target, ancestors: lp.rows.slice(0, n + 1) };
  });
  if (!locked) return false;
  const { root, ancestors } = locked;
  return underSubtreeLock(ctx, root, async () => {
    await quiesceSubtree(ctx, root, path.text, (dir) => {
      const dirPath = dir.id === root.id ? path.text : `${path.text}/…/${dir.name}`;
      if (!hasAccess(caller, dir, FsAction.ALL)) throw denial(caller, FsAction.ALL, dir, dirPath);
      refuseDeletingSnapshots(dir, dirPath);
    });
    await pauseForTests(ctx, 'delete', 2);
    await emptySubtree(ctx, root, ancestors, path.text, () => pauseForTests(ctx, 'delete', 3));
    return removeRoot(ctx, path, root, retryKey);
  });
}

/** The last transaction: the emptied root leaves its parent, the operation ends, the answer is recorded. */
function removeRoot(ctx: OpContext, path: HdfsPath, root: InodeRow, retryKey: RetryKey | undefined): Promise<boolean> {
  const n = path.components.length;
  const spec = { path, parent: 'exclusive', target: 'exclusive', followLink: false } as const;
  return ctx.runner.write('delete', [spec], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    await checkStillOwned(ctx, tx, root.id, path.text);
    const { target, parent } = lp;
    if (!target || !parent || target.id !== root.id) throw subtreeLocked(`${path.text}: moved while its subtree was locked; retry`);
    if (await tx.run(tx.dal.inodes.hasChildrenByParent(root.id))) throw subtreeLocked(`${path.text}: not yet empty; retry`);
    await removeInodes(tx, [target], true);
    tx.changes.update(parent, withChildDelta({ ...parent, mtime: tx.now }, -1, ctx.config.maxDirectoryItems, prefixText(path, n - 1)));
    releaseMutations(ctx, tx, root);
    await subtreeUsageChanged(tx, lp.rows.slice(0, n), path, [target]);
    tx.onCommit(() => ctx.runner.forgetPath(path));
    return true;
  }, { retryKey, ownedSubtreeRoot: root.id });
}
