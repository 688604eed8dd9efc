import { NamesystemError } from '../errors';
import type { LockedPath } from './lock-plan';
import { throughDotSnapshot } from '../path/dot-snapshot';
import type { HdfsPath } from '../path/hdfs-path';

/**
 * Snapshots are read-only: a write whose path goes through a `.snapshot`
 * component answers SnapshotAccessControlException, as HDFS does under a
 * snapshottable directory (elsewhere HDFS would find no such entry, or
 * refuse the reserved name). Checked once, where every path write starts.
 */
export function refuseWriteInSnapshot(path: HdfsPath): void {
  if (throughDotSnapshot(path)) throw new NamesystemError('SnapshotAccessControl', 'Modification on a read-only snapshot is disallowed');
}

/** The newest snapshot of a snapshottable directory on the locked paths (0: none): what the transaction's changes must keep. */
export const newestSnapshotAbove = (locked: readonly LockedPath[]): number => Math.max(0, ...locked.flatMap((l) => l.rows.map((r) => r.latestSnapshot ?? 0)));

/**
 * The newest snapshot a row on the locked paths was copied for
 * (`snap_epoch`), when it is newer than `above`: a directory moved out of
 * a snapshotted tree carries the snapshot it left, and what changes under
 * it must still be kept for that snapshot — if it is still live (the
 * caller asks; 0: nothing to ask).
 */
export const heldSnapshotBelow = (locked: readonly LockedPath[], above: number): number => {
  const held = Math.max(0, ...locked.flatMap((l) => l.rows.map((r) => r.snapEpoch ?? 0)));
  return held > above ? held : 0;
};
