import type { Mutation, Query } from './query';

export interface LeasePath {
  readonly inodeId: number;
  readonly holder: string;
}

/** `leases` and `lease_paths`: who holds which files open for writing. */
export interface LeaseRepository {
  upsert(holder: string, now: number): Mutation;
  renew(holder: string, now: number): Mutation;
  /** `renew`, changing nothing while the fleet is in safe mode (HDFS refuses renewLease then). */
  renewUnlessSafeMode(holder: string, now: number): Mutation;
  insertPath(inodeId: number, holder: string): Mutation;
  deletePathsByInodesBatched(inodeIds: readonly number[]): Mutation;
  /**
   * Drops these files' lease paths and every holder of them left without
   * any path, in one statement: deletePathsByInodesBatched then
   * deleteIfEmpty of each of their holders.
   */
  closePathsBatched(inodeIds: readonly number[]): Mutation;
  /** Drops a holder left without any path (its last file was closed or deleted). */
  deleteIfEmpty(holder: string): Mutation;
  /** The files held open, by inode id after `afterInodeId`: listOpenFiles' batches. */
  findPathsAfter(afterInodeId: number, limit: number): Query<LeasePath[]>;
  /** How many files `holder` holds open (HDFS's "pending creates" of its lease). */
  countPaths(holder: string): Query<number>;
  /** Holders silent since `renewedBefore`, with the files they hold open. */
  findExpiredPaths(renewedBefore: number, limit: number): Query<LeasePath[]>;
}
