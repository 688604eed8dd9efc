import type { InodeRow } from './inode-row';
import type { Mutation, Query } from './query';
import type { XAttrRow } from './xattr-repository';

/**
 * One row of `inode_versions`: an inode as it was just before its first
 * change after snapshot `snapshotId`, or a tombstone (`row` undefined): it
 * did not exist yet.
 */
export interface InodeVersion {
  readonly inodeId: number;
  readonly snapshotId: number;
  readonly row: InodeRow | undefined;
}

/** `inode_versions`: written by the transaction layer's copy-on-write seam, read by snapshot views. */
export interface InodeVersionRepository {
  /** Versions already there stay (the first pre-image after a snapshot is the one it keeps). */
  insertBatched(versions: readonly InodeVersion[]): Mutation;
  /** The versions of these inodes at `snapshotId` or later, by inode then snapshot id. */
  findByInodesFrom(inodeIds: readonly number[], snapshotId: number): Query<InodeVersion[]>;
  /** The inodes with a version at `snapshotId` or later naming `parentId` as parent (and `name`, when given). */
  findInodeIdsByParentFrom(parentId: number, name: string | undefined, snapshotId: number): Query<number[]>;
  /** Up to `limit` version keys that are not a live snapshot's id (the snapshot was deleted): the reclaimer's work. */
  findKeysNotIn(liveSnapshotIds: readonly number[], limit: number): Query<Array<{ inodeId: number; snapshotId: number }>>;
  deleteByKey(inodeId: number, snapshotId: number): Mutation;
  /** Moves a version to another key (the snapshot it serves now). */
  rekey(inodeId: number, from: number, to: number): Mutation;
  /** Which of these inodes still have a version. */
  findInodesWithVersions(inodeIds: readonly number[]): Query<number[]>;
  /** The inodes with a version keyed in `[from, to)`: every inode changed between the two snapshots (`to` undefined: up to now). */
  findInodeIdsBetween(from: number, to: number | undefined): Query<number[]>;
  /**
   * The inodes' current `xattrs` rows copied to their versions at
   * `snapshotId` (`inode_version_xattrs`); sent before the statements that
   * change the xattrs. Copies already there stay, as the versions do.
   */
  copyXAttrs(inodeIds: readonly number[], snapshotId: number): Mutation;
  /** The xattr rows the versions with these keys carry, by inode, namespace and name. */
  findXAttrsOfVersions(keys: readonly VersionKey[]): Query<Array<XAttrRow & { readonly snapshotId: number }>>;
  deleteXAttrsByKey(inodeId: number, snapshotId: number): Mutation;
  rekeyXAttrs(inodeId: number, from: number, to: number): Mutation;
}

/** The key of one inode version. */
export interface VersionKey {
  readonly inodeId: number;
  readonly snapshotId: number;
}
