import type { Query } from './query';

/** An inode's place in the tree, for the reachability walk. */
export interface InodeShape {
  readonly id: number;
  readonly parentId: number;
}

/** One invariant of the namespace and the rows that break it (at most the limit). */
export interface InvariantCheck {
  readonly name: string;
  readonly violations: Query<Record<string, unknown>[]>;
}

/** What fsck counts of snapshots (HDFS fsck's "Number of snapshottable directories" and more). */
export interface SnapshotCounts {
  readonly snapshottableDirs: number;
  /** Snapshottable directories that have at least one live snapshot. */
  readonly withSnapshots: number;
  readonly liveSnapshots: number;
  /** Deleted snapshots whose versions the leader's reclaimer has not taken yet. */
  readonly pendingReclamation: number;
  readonly inodeVersions: number;
}

/** Whole-table scans of `nnfleet fsck`: an offline check, like HDFS fsck. */
export interface FsckRepository {
  findInodeShapePage(afterId: number, limit: number): Query<InodeShape[]>;
  countSnapshots(): Query<SnapshotCounts>;
  invariantChecks(limit: number): InvariantCheck[];
}
