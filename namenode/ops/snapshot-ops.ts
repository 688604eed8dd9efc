import { NO_SNAPSHOT } from '../dal/inode-row';
import type { RetryKey } from '../domain/retry-key';
import { ioError, snapshotError } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import type { OpContext } from '../tx/op-context';
import { snapshotPath } from '../path/dot-snapshot';
import { checkSnapshotName, defaultSnapshotName } from './snapshot-names';
import { snapshottableRoot } from './snapshottable-target';

/**
 * FSDirSnapshotOp.createSnapshot: the directory's owner takes a snapshot,
 * named by the client or for the time (Snapshot.generateDefaultSnapshotName).
 * One row and the directory's newest-snapshot id: O(1) whatever the tree
 * holds (see README.md). Answers the snapshot's path.
 */
export async function createSnapshot(ctx: OpContext, caller: Caller, root: string, requestedName: string | undefined, retryKey?: RetryKey): Promise<string> {
  const path = parsePath(root);
  const name = requestedName ? requestedName : defaultSnapshotName(new Date());
  if (requestedName) checkSnapshotName(name, path.text);
  return ctx.runner.write(
    'createSnapshot',
    [{ path, parent: 'shared', target: 'exclusive' }],
    async ([lp], tx) => {
      if (!lp) throw new Error('unreachable');
      const { dir, feature, snapshots } = await snapshottableRoot(tx, caller, lp, path, 'exclusive');
      const n = snapshots.length;
      if (n + 1 > feature.snapshotQuota) throw snapshotError(`Failed to add snapshot: there are already ${n} snapshot(s) and the snapshot quota is ${feature.snapshotQuota}`);
      if (n + 1 > ctx.config.snapshotMaxLimit) {
        throw snapshotError(`Failed to add snapshot: there are already ${n} snapshot(s) and the max snapshot limit is ${ctx.config.snapshotMaxLimit}`);
      }
      if (snapshots.some((s) => s.name === name)) throw snapshotError(`Failed to add snapshot: there is already a snapshot with the same name "${name}".`);
      const snapshotId = await tx.run(tx.dal.snapshots.nextSnapshotId());
      tx.changes.add(tx.dal.snapshots.insertSnapshot({ dirId: dir.id, name, snapshotId, createdAt: tx.now }), tx.dal.inodes.setLatestSnapshot(dir, snapshotId));
      // DirectorySnapshottableFeature.addSnapshot sets the directory's modification time.
      tx.changes.update(dir, { ...dir, mtime: tx.now });
      return snapshotPath(path.text, name);
    },
    { retryKey },
  );
}

/** FSDirSnapshotOp.deleteSnapshot: the owner removes a snapshot; the directory's newest-snapshot id falls to the newest one left. */
export async function deleteSnapshot(ctx: OpContext, caller: Caller, root: string, name: string, retryKey?: RetryKey): Promise<void> {
  const path = parsePath(root);
  await ctx.runner.write(
    'deleteSnapshot',
    [{ path, parent: 'shared', target: 'exclusive' }],
    async ([lp], tx) => {
      if (!lp) throw new Error('unreachable');
      const { dir, snapshots } = await snapshottableRoot(tx, caller, lp, path, 'exclusive');
      const doomed = snapshots.find((s) => s.name === name);
      if (!doomed) throw snapshotError(`Cannot delete snapshot ${name} from path ${path.text}: the snapshot does not exist.`);
      const newest = Math.max(NO_SNAPSHOT, ...snapshots.filter((s) => s.name !== name).map((s) => s.snapshotId));
      // The leader's reclaimer drops what only this snapshot held, then the row (leader/duties/snapshot-reclaimer.ts).
      tx.changes.add(tx.dal.snapshots.markSnapshotDeleted(dir.id, name, doomed.snapshotId), tx.dal.inodes.setLatestSnapshot(dir, newest));
    },
    { retryKey },
  );
}

/** FSDirSnapshotOp.renameSnapshot (NameNodeRpcServer refuses an empty new name first). */
export async function renameSnapshot(ctx: OpContext, caller: Caller, root: string, oldName: string, newName: string, retryKey?: RetryKey): Promise<void> {
  if (!newName) throw ioError('The new snapshot name is null or empty.');
  const path = parsePath(root);
  checkSnapshotName(newName, path.text);
  await ctx.runner.write(
    'renameSnapshot',
    [{ path, parent: 'shared', target: 'exclusive' }],
    async ([lp], tx) => {
      if (!lp) throw new Error('unreachable');
      const { dir, snapshots } = await snapshottableRoot(tx, caller, lp, path, 'exclusive');
      if (newName === oldName) return;
      if (!snapshots.some((s) => s.name === oldName)) throw snapshotError(`The snapshot ${oldName} does not exist for directory ${path.text}`);
      if (snapshots.some((s) => s.name === newName)) throw snapshotError(`The snapshot ${newName} already exists for directory ${path.text}`);
      tx.changes.add(tx.dal.snapshots.renameSnapshotByPk(dir.id, oldName, newName));
    },
    { retryKey },
  );
}
