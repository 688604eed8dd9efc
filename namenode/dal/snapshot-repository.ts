import type { Mutation, Query } from './query';

/** A directory allowSnapshot made snapshottable (`snapshottable_dirs`). */
export interface SnapshottableDirRow {
  readonly dirId: number;
  readonly snapshotQuota: number;
}

/** One snapshot of a snapshottable directory (`snapshots`). */
export interface SnapshotRow {
  readonly dirId: number;
  readonly name: string;
  /** Global and only growing (see namenode/snapshot/README.md). */
  readonly snapshotId: number;
  readonly createdAt: number;
}

/** `snapshottable_dirs`, `snapshots` and the `snapshot_id` counter. */
export interface SnapshotRepository {
  findSnapshottableByDirsBatched(dirIds: readonly number[], lock: 'none' | 'exclusive'): Query<SnapshottableDirRow[]>;
  /**
   * Every snapshottable directory (HDFS keeps them all in memory; a small
   * table scan here). Locked, it serializes allowSnapshot calls, whose
   * nesting check reads them all.
   */
  findAllSnapshottable(lock: 'none' | 'exclusive'): Query<SnapshottableDirRow[]>;
  /** Makes the directory snapshottable, or sets its snapshot quota when it is already. */
  upsertSnapshottable(row: SnapshottableDirRow): Mutation;
  deleteSnapshottableByDir(dirId: number): Mutation;
  /** The snapshots of several directories, by directory then name (the order HDFS keeps them in). */
  findSnapshotsByDirsBatched(dirIds: readonly number[], lock: 'none' | 'exclusive'): Query<SnapshotRow[]>;
  insertSnapshot(row: SnapshotRow): Mutation;
  deleteSnapshotByPk(dirId: number, name: string): Mutation;
  renameSnapshotByPk(dirId: number, oldName: string, newName: string): Mutation;
  /** Every snapshot, live or deleted and awaiting the reclaimer, by id: which directory it is of. */
  findAllSnapshotIds(): Query<Array<{ dirId: number; snapshotId: number; deleted: boolean }>>;
  /** deleteSnapshot: the row stays, flagged and out of the name space (a name with '/' no snapshot can have), until the leader reclaims it. */
  markSnapshotDeleted(dirId: number, name: string, snapshotId: number): Mutation;
  deleteSnapshotById(snapshotId: number): Mutation;
  /** The next snapshot id, from a counter row made on first use; locks the row until commit (snapshots are rare). */
  nextSnapshotId(): Query<number>;
}
