import type { TableDef } from './table-def';

/**
 * Subtree operations in progress (v0010): one row per locked subtree root,
 * written by phase 1 in the transaction that sets the root's
 * `inodes.subtree_lock_owner`, removed by the transaction that finishes the
 * operation. A row whose owner is no longer a live namenode (the
 * `namenodes` membership) is dead at once: the leader clears it and its
 * root's lock. `path` lets phase 1 see an operation running beneath a new
 * one (a descendant's lock is not on the new root's path).
 */
export const subtreeOps: TableDef = {
  name: 'subtree_ops',
  columns: [
    { name: 'root_id', type: { kind: 'bigint' } },
    { name: 'owner', type: { kind: 'bigint' } },
    /** 'delete' or 'rename'. */
    { name: 'op', type: { kind: 'varchar', length: 32 } },
    { name: 'path', type: { kind: 'varbinary', length: 8000 } },
    { name: 'started_at', type: { kind: 'bigint' } },
  ],
  primaryKey: ['root_id'],
};
