import type { XAttrRepository } from '../xattr-repository';
import { sqlMutation, sqlQuery } from '../query';
import { bytes, num, placeholders, rowsWith, text } from './sql-values';

export const sqlXAttrs: XAttrRepository = {
  findByInode: (inodeId) =>
    sqlQuery(
      { sql: 'SELECT inode_id, namespace, name, value FROM xattrs WHERE inode_id = ? ORDER BY namespace, name', params: [inodeId] },
      rowsWith((r) => ({
        inodeId: num(r['inode_id']),
        namespace: num(r['namespace']),
        name: text(r['name']),
        value: r['value'] === null || r['value'] === undefined ? null : (r['value'] as Buffer),
      })),
    ),
  upsert: (x) =>
    sqlMutation({
      sql: 'INSERT INTO xattrs (inode_id, namespace, name, value) VALUES (?,?,?,?) ON DUPLICATE KEY UPDATE value = VALUES(value)',
      params: [x.inodeId, x.namespace, bytes(x.name), x.value],
    }),
  deleteByPk: (x) => sqlMutation({ sql: 'DELETE FROM xattrs WHERE inode_id = ? AND namespace = ? AND name = ?', params: [x.inodeId, x.namespace, bytes(x.name)] }),
  deleteByInodesBatched: (ids) => sqlMutation({ sql: `DELETE FROM xattrs WHERE inode_id IN (${placeholders(ids.length)})`, params: [...ids] }),
};
