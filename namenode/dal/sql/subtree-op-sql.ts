import type { SubtreeOp, SubtreeOpKind, SubtreeOpRepository } from '../subtree-op-repository';
import { sqlMutation, sqlQuery } from '../query';
import { bytes, num, rowsWith, text } from './sql-values';

const subtreeOps = rowsWith(
  (r): SubtreeOp => ({ rootId: num(r['root_id']), owner: num(r['owner']), op: text(r['op']) as SubtreeOpKind, path: text(r['path']), startedAt: num(r['started_at']) }),
);

export const sqlSubtreeOps: SubtreeOpRepository = {
  findAll: () => sqlQuery({ sql: 'SELECT root_id, owner, op, path, started_at FROM subtree_ops', params: [] }, subtreeOps),
  upsert: (o) =>
    sqlMutation({
      sql: 'INSERT INTO subtree_ops (root_id, owner, op, path, started_at) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE owner = VALUES(owner), op = VALUES(op), path = VALUES(path), started_at = VALUES(started_at)',
      params: [o.rootId, o.owner, o.op, bytes(o.path), o.startedAt],
    }),
  deleteByRootAndOwner: (rootId, owner) => sqlMutation({ sql: 'DELETE FROM subtree_ops WHERE root_id = ? AND owner = ?', params: [rootId, owner] }),
};
