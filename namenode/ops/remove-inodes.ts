import { isFile, isSnapshottable, type InodeRow } from '../dal/inode-row';
import { removeFileBlocks } from '../blocks/remove-blocks';
import type { WriteContext } from '../tx/tx-contexts';

const CHUNK = 500;

/**
 * Removes `victims` and everything that hangs off them (xattrs, lease
 * paths, blocks and their replicas, a quota directory's usage rows). Shared by delete, the batches of a big
 * delete, and rename/create with overwrite.
 *
 * `rowsLocked`: every victim's row was read under its own exclusive lock in
 * this transaction. Then only a file under construction (`ucClient` set) can
 * have lease paths or pipeline rows: create, append and truncate add them as
 * they open a file, complete and lease recovery delete them as they close
 * it, all under the file's exclusive lock. And the replica rows read are all
 * there are (removeFileBlocks). A closed file's delete then sends no DELETE
 * that can only find nothing (3 of a lone delete's 16 statements). Without
 * it (a recursive delete's walk reads the rows under its own without their
 * locks: an append may reopen one meanwhile) every table is cleared.
 */
export async function removeInodes(tx: WriteContext, victims: readonly InodeRow[], rowsLocked = false): Promise<void> {
  const changes = tx.changes;
  for (const v of victims) changes.delete(v);
  const ids = victims.map((v) => v.id);
  const { xattrs, leases } = tx.dal;
  const mayBeOpen = (v: InodeRow): boolean => !rowsLocked || (isFile(v) && v.ucClient !== null);
  const open = new Set(victims.filter(mayBeOpen).map((v) => v.id));
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    changes.add(xattrs.deleteByInodesBatched(chunk));
    const leased = chunk.filter((id) => open.has(id));
    if (leased.length > 0) changes.add(leases.deletePathsByInodesBatched(leased));
  }
  // A quota directory that goes takes its limits and usage rows with it.
  for (const v of victims) if (v.hasQuota) changes.add(tx.dal.quotas.deleteLimitsByDir(v.id), tx.dal.quotas.deleteStripesByDir(v.id));
  // So does a snapshottable directory (one with snapshots never gets here: see snapshot-guards.ts).
  for (const v of victims) if (isSnapshottable(v)) changes.add(tx.dal.snapshots.deleteSnapshottableByDir(v.id));
  // A file a snapshot still holds keeps its blocks (the leader reclaims them when the last such snapshot goes):
  // one copied now, or one changed since a snapshot (its pre-image is a version already).
  const files = victims.filter((v) => isFile(v));
  const held = new Set(files.filter((v) => changes.keepsInSnapshot(v)).map((v) => v.id));
  const versioned = files.filter((v) => !held.has(v.id) && (v.snapEpoch ?? 0) > 0).map((v) => v.id);
  for (let i = 0; i < versioned.length; i += CHUNK) {
    for (const v of await tx.run(tx.dal.inodeVersions.findByInodesFrom(versioned.slice(i, i + CHUNK), 0))) if (v.row) held.add(v.inodeId);
  }
  await removeFileBlocks(tx, files.filter((v) => !held.has(v.id)).map((v) => v.id), rowsLocked ? { underConstruction: open } : undefined);
}
