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

/** Whole-table scans of `nnfleet fsck`: an offline check, like HDFS fsck. */
export interface FsckRepository {
  findInodeShapePage(afterId: number, limit: number): Query<InodeShape[]>;
  invariantChecks(limit: number): InvariantCheck[];
}
