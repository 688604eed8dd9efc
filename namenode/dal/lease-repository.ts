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
  /**
   * Drops these files' lease paths, by primary key: a close or a delete
   * touches no other row of the holder (its lease row stays until
   * deleteEmpty finds it idle).
   */
  deletePathsByInodesBatched(inodeIds: readonly number[]): Mutation;
  /** Holders last renewed before `renewedBefore` that hold no file open: the lease monitor's candidates for deleteEmpty. */
  findEmpty(renewedBefore: number, limit: number): Query<string[]>;
  /**
   * Drops those of `holders` still last renewed before `renewedBefore` and
   * still holding no file. A create renews its holder's row first, so a
   * holder that opens a file meanwhile keeps it.
   */
  deleteEmpty(holders: readonly string[], renewedBefore: number): Mutation;
  /** The files held open, by inode id after `afterInodeId`: listOpenFiles' batches. */
  findPathsAfter(afterInodeId: number, limit: number): Query<LeasePath[]>;
  /** How many files `holder` holds open (HDFS's "pending creates" of its lease). */
  countPaths(holder: string): Query<number>;
  /** Holders silent since `renewedBefore`, with the files they hold open. */
  findExpiredPaths(renewedBefore: number, limit: number): Query<LeasePath[]>;
}
