import type { Mutation, Query } from './query';
import type { InodeKey, InodeRow } from './inode-row';

export type LockMode = 'none' | 'shared' | 'exclusive';

/**
 * `inodes`. Finder names show their access path (…ByPk, …Batched,
 * …ByParent) so the cost of a query is visible where it is called.
 */
export interface InodeRepository {
  findByPkBatched(keys: readonly InodeKey[], lock: LockMode): Query<InodeRow[]>;
  findByIdBatched(ids: readonly number[], lock: LockMode): Query<InodeRow[]>;
  /** One page of a directory after `startAfter`, sorted by name bytes (the order HDFS lists in). */
  findChildrenByParent(parentId: number, startAfter: string, limit: number, lock?: LockMode): Query<InodeRow[]>;
  /** Children after `startAfter`, counted up to `cap` (a bounded index range scan). */
  countChildrenByParentAfter(parentId: number, startAfter: string, cap: number): Query<number>;
  hasChildrenByParent(parentId: number): Query<boolean>;
  /** All children of several directories: one level of a subtree walk. */
  findChildrenByParentsBatched(parentIds: readonly number[]): Query<InodeRow[]>;
  /** Of these directories, the ones that still have a child (one index probe each). */
  findParentsWithChildrenBatched(parentIds: readonly number[]): Query<number[]>;
  /** Sets the subtree lock of the row with this id (taking over a dead owner's). */
  setSubtreeLockById(id: number, owner: number, now: number): Mutation;
  /** Clears the subtree lock of the row with this id if `owner` still holds it. */
  clearSubtreeLockById(id: number, owner: number): Mutation;
  insertBatched(rows: readonly InodeRow[]): Mutation;
  /** Rewrites a whole row, its key included (a rename moves the key). */
  updateByPk(oldKey: InodeKey, row: InodeRow): Mutation;
  deleteByPkBatched(keys: readonly InodeKey[]): Mutation;
}
