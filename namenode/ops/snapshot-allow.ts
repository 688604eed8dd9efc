import { isSnapshottable, NO_SNAPSHOT } from '../dal/inode-row';
import { snapshotError } from '../errors';
import { placeInodes } from './inode-paths';
import { directoryTarget } from './resolve-target';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { requireSuperuser } from '../security/superuser';
import type { OpContext } from '../tx/op-context';
import { SNAPSHOT_QUOTA_DEFAULT } from './snapshot-names';

const nested = (path: string, relation: 'subdirectory' | 'ancestor', other: string) =>
  snapshotError(`Nested snapshottable directories not allowed: path=${path}, the ${relation} ${other} is already a snapshottable directory.`);

/**
 * SnapshotManager.setSnapshottable for the superuser: the directory becomes
 * snapshottable (again: its snapshot quota back to the default), unless a
 * snapshottable directory lies above or below it. Every snapshottable
 * directory is read under lock, so two concurrent calls cannot both pass
 * the nesting check.
 */
export async function allowSnapshot(ctx: OpContext, caller: Caller, src: string): Promise<void> {
  requireSuperuser(caller);
  const path = parsePath(src);
  await ctx.runner.write('allowSnapshot', [{ path, parent: 'shared', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    const dir = directoryTarget(caller, lp, path);
    const all = await tx.run(tx.dal.snapshots.findAllSnapshottable('exclusive'));
    const others = all.filter((s) => s.dirId !== dir.id).map((s) => s.dirId);
    const placed = await placeInodes(tx, others);
    const ancestors = new Set(lp.rows.slice(0, -1).map((r) => r.id));
    for (const id of others) {
      const other = placed.get(id);
      if (!other) continue;
      if (other.ancestorIds.includes(dir.id)) throw nested(path.text, 'subdirectory', other.path);
      if (ancestors.has(id)) throw nested(path.text, 'ancestor', other.path);
    }
    tx.changes.add(tx.dal.snapshots.upsertSnapshottable({ dirId: dir.id, snapshotQuota: SNAPSHOT_QUOTA_DEFAULT }));
    if (!isSnapshottable(dir)) tx.changes.add(tx.dal.inodes.setLatestSnapshot(dir, NO_SNAPSHOT));
  });
}

/**
 * SnapshotManager.resetSnapshottable for the superuser: refused while the
 * directory has snapshots; a directory that is not snapshottable is left
 * as it is.
 */
export async function disallowSnapshot(ctx: OpContext, caller: Caller, src: string): Promise<void> {
  requireSuperuser(caller);
  const path = parsePath(src);
  await ctx.runner.write('disallowSnapshot', [{ path, parent: 'shared', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    const dir = directoryTarget(caller, lp, path);
    const { snapshots } = tx.dal;
    const [features, taken] = await tx.runAll([snapshots.findSnapshottableByDirsBatched([dir.id], 'exclusive'), snapshots.findSnapshotsByDirsBatched([dir.id], 'exclusive')]);
    if (features.length === 0) return;
    if (taken.length > 0) throw snapshotError(`The directory ${path.text} has snapshot(s). Please redo the operation after removing all the snapshots.`);
    tx.changes.add(tx.dal.snapshots.deleteSnapshottableByDir(dir.id), tx.dal.inodes.setLatestSnapshot(dir, 0));
  });
}
