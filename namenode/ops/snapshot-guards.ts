import { hasSnapshots, type InodeRow } from '../dal/inode-row';
import { snapshotError } from '../errors';

/**
 * FSDirSnapshotOp.checkSnapshot: a delete may not take away a snapshottable
 * directory that has snapshots (the directory's row says so:
 * `latestSnapshot`), wherever it sits in the deleted subtree.
 */
export function refuseDeletingSnapshots(dir: InodeRow, dirPath: string): void {
  if (hasSnapshots(dir)) throw snapshotError(`The directory ${dirPath} cannot be deleted since ${dirPath} is snapshottable and already has snapshots`);
}

/**
 * The same check over a subtree read whole (`rows`: `root` and everything
 * under it), each directory named by its path below `rootPath`.
 */
export function refuseDeletingSnapshotsIn(root: InodeRow, rows: readonly InodeRow[], rootPath: string): void {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const pathOf = (r: InodeRow): string => (r.id === root.id ? rootPath : `${pathOf(byId.get(r.parentId) ?? root)}/${r.name}`);
  for (const r of rows) if (hasSnapshots(r)) refuseDeletingSnapshots(r, pathOf(r));
}
