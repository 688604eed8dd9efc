import { isFile, isSnapshottable, type InodeRow } from '../dal/inode-row';
import { removeFileBlocks } from '../blocks/remove-blocks';
import type { WriteContext } from '../tx/tx-contexts';

const CHUNK = 500;

/**
 * Removes `victims` and everything that hangs off them (xattrs, lease
 * paths, blocks and their replicas, a quota directory's usage rows). Shared by delete, the batches of a big
 * delete, and rename/create with overwrite.
 */
export async function removeInodes(tx: WriteContext, victims: readonly InodeRow[]): Promise<void> {
  const changes = tx.changes;
  for (const v of victims) changes.delete(v);
  const ids = victims.map((v) => v.id);
  const { xattrs, leases } = tx.dal;
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    changes.add(xattrs.deleteByInodesBatched(chunk), leases.deletePathsByInodesBatched(chunk));
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
  await removeFileBlocks(tx, files.filter((v) => !held.has(v.id)).map((v) => v.id));
}
