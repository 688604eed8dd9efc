import type { Mutation, Query } from './query';

export type SubtreeOpKind = 'delete' | 'rename' | 'setQuota';

/** One subtree operation in progress: its root, owning namenode and path when it started. */
export interface SubtreeOp {
  readonly rootId: number;
  readonly owner: number;
  readonly op: SubtreeOpKind;
  readonly path: string;
  readonly startedAt: number;
}

/** `subtree_ops`: the big deletes and renames in progress (a handful of rows at any time). */
export interface SubtreeOpRepository {
  /** Every operation in progress: the table holds one row per running big delete or rename. */
  findAll(): Query<SubtreeOp[]>;
  /** Records an operation, replacing a dead owner's record of the same root. */
  upsert(op: SubtreeOp): Mutation;
  /** Removes the record of `rootId` if `owner` still holds it. */
  deleteByRootAndOwner(rootId: number, owner: number): Mutation;
}
