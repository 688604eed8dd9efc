import type { InodeRow } from '../dal/inode-row';
import { NamesystemError } from '../errors';
import { RunExact } from '../tx/run-exact';
import type { WriteContext } from '../tx/tx-contexts';

/**
 * A directory after gaining (or losing) `delta` children. Growing past
 * dfs.namenode.fs-limits.max-directory-items is refused with Hadoop's
 * MaxDirectoryItemsExceededException (FSDirectory.verifyMaxDirItems). The
 * count lives on the directory's row, which every such operation already
 * locks and rewrites (its mtime): the check costs no query.
 */
export function withChildDelta(dir: InodeRow, delta: number, maxItems: number, path: string): InodeRow {
  if (delta > 0 && dir.children + delta > maxItems) {
    throw new NamesystemError('MaxDirectoryItemsExceeded', `The directory item limit of ${path} is exceeded: limit=${maxItems} items=${dir.children}`);
  }
  return { ...dir, children: Math.max(0, dir.children + delta) };
}

/**
 * The directory a create, mkdirs or createSymlink adds to: its mtime
 * advances and its child count moves. Unless the call runs exact, the
 * directory was read without a lock (so creates into one directory do not
 * queue on its row for the whole transaction) and is changed by one
 * guarded statement at the end of the commit, which fails rather than
 * pass max-directory-items or miss a quota set meanwhile; the call then
 * runs again exact, with the directory locked, and this checks exactly.
 * Under a snapshot that has not yet kept the directory's pre-image (its
 * `snap_epoch` is older) the touch would change what the snapshot reads:
 * that first change runs exact too, where the ChangeSet versions the row.
 */
export function addedTo(tx: WriteContext, dir: InodeRow, delta: number, maxItems: number, path: string): void {
  if (!tx.exact && (dir.snapEpoch ?? 0) < tx.changes.snapshotId) throw new RunExact(`${path}: first change under snapshot ${tx.changes.snapshotId}`);
  if (tx.exact) tx.changes.update(dir, withChildDelta({ ...dir, mtime: tx.now }, delta, maxItems, path));
  else tx.changes.addTouch(tx.dal.inodes.touchDirectory(dir, delta, tx.now, maxItems, dir.hasQuota === true));
}
