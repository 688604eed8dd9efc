import type { Mutation, Query } from './query';

/**
 * One row of `block_versions`: a block a snapshot keeps after a truncate
 * took it out of its file, keyed like the inode version it goes with
 * (namenode/snapshot/README.md, "Blocks"). `replacedBy` is the new block
 * id copy-on-truncate recovers the cut block into (0: dropped whole).
 */
export interface BlockVersion {
  readonly inodeId: number;
  readonly snapshotId: number;
  readonly index: number;
  readonly blockId: number;
  readonly genStamp: number;
  readonly numBytes: number;
  readonly replacedBy: number;
}

/** `block_versions`: written by truncate under snapshots, read by snapshot views and block reports, freed by the reclaimer. */
export interface BlockVersionRepository {
  insertBatched(versions: readonly BlockVersion[]): Mutation;
  /** A file's block versions keyed `snapshotId` or later, by key then index. */
  findByInodeFrom(inodeId: number, snapshotId: number): Query<BlockVersion[]>;
  /** The blocks copy-on-truncate recovers into these new ids (the copy's source). */
  findByReplacementBatched(newBlockIds: readonly number[]): Query<BlockVersion[]>;
  /** The versions of one inode version's key (the reclaimer drops or re-keys them with it). */
  findByKey(inodeId: number, snapshotId: number): Query<BlockVersion[]>;
  deleteByKey(inodeId: number, snapshotId: number): Mutation;
  rekey(inodeId: number, from: number, to: number): Mutation;
  deleteByInodesBatched(inodeIds: readonly number[]): Mutation;
}
