import { isFile } from '../../dal/inode-row';
import { removeFileBlockIds, removeFileBlocks } from '../../blocks/remove-blocks';
import type { WriteContext } from '../../tx/tx-contexts';
import type { OpContext } from '../../tx/op-context';

/** Versions looked at per transaction: one round's work stays short. */
const BATCH = 500;

/**
 * The leader's reclamation after deleteSnapshot (namenode/snapshot/README.md):
 * a version keyed by a snapshot id no live snapshot has serves the live
 * snapshots between the inode's previous version and it; with none there
 * it is dropped, else re-keyed to the newest of them (the one rule still
 * picks it for each); the xattr rows it carries go with it. A file that left the tree and has no version left is
 * held by no snapshot: its blocks go through the ordinary remove path,
 * which queues the invalidations. Bounded batches, one transaction each;
 * `maxBatches` per round. Answers how many versions it reclaimed.
 */
export async function reclaimSnapshots(ctx: OpContext, maxBatches = 4): Promise<number> {
  let done = 0;
  for (let b = 0; b < maxBatches; b++) {
    const n = await ctx.runner.transaction('snapshotReclaimer', async (tx) => {
      const snaps = await tx.run(tx.dal.snapshots.findAllSnapshotIds());
      const live = snaps.filter((s) => !s.deleted);
      const rootOf = new Map(snaps.map((s) => [s.snapshotId, s.dirId]));
      const keys = await tx.run(tx.dal.inodeVersions.findKeysNotIn(live.map((s) => s.snapshotId), BATCH));
      if (keys.length === 0) {
        // A deleted snapshot whose versions are all reclaimed goes itself.
        for (const s of snaps.filter((x) => x.deleted)) tx.changes.add(tx.dal.snapshots.deleteSnapshotById(s.snapshotId));
        return 0;
      }
      const inodeIds = [...new Set(keys.map((k) => k.inodeId))];
      const all = await tx.run(tx.dal.inodeVersions.findByInodesFrom(inodeIds, 0));
      const dropped = new Map<number, number>(); // inode -> versions dropped
      const held = new Map<number, boolean>(); // a file inode whose dropped version was a file
      for (const k of keys) {
        const mine = all.filter((v) => v.inodeId === k.inodeId);
        const prev = Math.max(0, ...mine.filter((v) => v.snapshotId < k.snapshotId).map((v) => v.snapshotId));
        // Only the deleted snapshot's own directory's snapshots could have read through this version.
        const serves = live.filter((s) => s.dirId === rootOf.get(k.snapshotId) && s.snapshotId > prev && s.snapshotId <= k.snapshotId).map((s) => s.snapshotId);
        if (serves.length > 0) {
          const to = Math.max(...serves);
          // The blocks a truncate left for it and its xattr copies go with it (same key).
          tx.changes.add(tx.dal.inodeVersions.rekey(k.inodeId, k.snapshotId, to), tx.dal.blockVersions.rekey(k.inodeId, k.snapshotId, to), tx.dal.inodeVersions.rekeyXAttrs(k.inodeId, k.snapshotId, to));
          continue;
        }
        tx.changes.add(tx.dal.inodeVersions.deleteByKey(k.inodeId, k.snapshotId), tx.dal.inodeVersions.deleteXAttrsByKey(k.inodeId, k.snapshotId));
        await freeBlockVersions(tx, k.inodeId, k.snapshotId);
        dropped.set(k.inodeId, (dropped.get(k.inodeId) ?? 0) + 1);
        const row = mine.find((v) => v.snapshotId === k.snapshotId)?.row;
        if (row && isFile(row)) held.set(k.inodeId, true);
      }
      // Files whose every version went, and that are no longer in the tree: no snapshot holds their blocks.
      const gone = [...dropped].filter(([id, n]) => held.get(id) && all.filter((v) => v.inodeId === id).length === n).map(([id]) => id);
      if (gone.length > 0) {
        const present = new Set((await tx.run(tx.dal.inodes.findByIdBatched(gone, 'none'))).map((r) => r.id));
        await removeFileBlocks(
          tx,
          gone.filter((id) => !present.has(id)),
        );
      }
      return keys.length;
    });
    done += n;
    if (n < BATCH) break;
  }
  return done;
}

/** The blocks a truncate left for a version that goes: no snapshot reads them now, their replicas are invalidated. */
async function freeBlockVersions(tx: WriteContext, inodeId: number, snapshotId: number): Promise<void> {
  const kept = await tx.run(tx.dal.blockVersions.findByKey(inodeId, snapshotId));
  if (kept.length === 0) return;
  tx.changes.add(tx.dal.blockVersions.deleteByKey(inodeId, snapshotId));
  await removeFileBlockIds(tx, inodeId, kept.map((v) => v.blockId));
}
