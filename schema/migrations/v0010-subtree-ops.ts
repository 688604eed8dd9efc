import { renderCreateTable } from '../render-ddl';
import { subtreeOps } from '../tables-subtree';
import type { Migration } from './migration';

/** Subtree operations in progress; inodes.subtree_lock_owner/time exist since v0001. */
export const v0010SubtreeOps: Migration = {
  version: 10,
  description: 'subtree_ops: big deletes and renames in progress, with their owning namenode',
  statements: (engine) => [renderCreateTable(subtreeOps, engine)],
};
