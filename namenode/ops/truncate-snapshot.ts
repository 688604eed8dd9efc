import type { BlockVersion } from '../dal/block-version-repository';
import type { InodeRow } from '../dal/inode-row';
import type { Block } from '../domain/located-blocks';
import type { WriteContext } from '../tx/tx-contexts';

/** What a truncate under snapshots must keep of the blocks it takes out of the file. */
export interface SnapshotHold {
  /** The key its block versions go under: the inode version that serves the newest snapshot. */
  readonly key: number;
  /** Whether a snapshot reads this current block, starting at `start` in the file (no block version of its index serves them already). */
  readonly holds: (b: Block, start: number) => boolean;
}

/**
 * Whether the newest snapshot above the file (and so every older one that
 * reads it through the same version) sees its current blocks, and under
 * which key their versions go (namenode/snapshot/README.md, "Blocks"): the
 * file's state before this change is copied now (key: that snapshot), or
 * a present version keyed at or after it serves them (its key). A tombstone
 * there (the file came after the snapshot) holds nothing; nor does a block
 * index that has a version already (the snapshots read that one), nor a
 * block past the length the snapshot read.
 */
export async function snapshotHold(tx: WriteContext, file: InodeRow): Promise<SnapshotHold | undefined> {
  const s = tx.changes.snapshotId;
  if (s <= 0) return undefined;
  const [versions, kept] = await tx.runAll([tx.dal.inodeVersions.findByInodesFrom([file.id], s), tx.dal.blockVersions.findByInodeFrom(file.id, s)]);
  const first = versions[0];
  let held: { key: number; length: number };
  if (first) {
    if (!first.row) return undefined;
    held = { key: first.snapshotId, length: first.row.length };
  } else if (tx.changes.keepsInSnapshot(file)) {
    held = { key: s, length: file.length };
  } else {
    return undefined;
  }
  // A block appended after the snapshot (it starts past the length the snapshot read) is no snapshot's.
  const served = new Set(kept.map((v) => v.index));
  return { key: held.key, holds: (b, start) => start < held.length && !served.has(b.index) };
}

/** A block kept for snapshots under `key`; `replacedBy` the copy-on-truncate block (0: dropped whole). */
export const blockVersionOf = (b: Block, key: number, replacedBy: number): BlockVersion => ({
  inodeId: b.inodeId,
  snapshotId: key,
  index: b.index,
  blockId: b.blockId,
  genStamp: b.genStamp,
  numBytes: b.numBytes,
  replacedBy,
});
