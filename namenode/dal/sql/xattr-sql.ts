import type { XAttrRepository, XAttrRow } from '../xattr-repository';
import { sqlMutation, sqlQuery } from '../query';
import type { SqlRow } from './sql-session';
import { bytes, num, placeholders, rowsWith, text } from './sql-values';

/** One `xattrs` (or `inode_version_xattrs`) result row as an XAttrRow. */
export const xattrOfColumns = (r: SqlRow): XAttrRow => ({
  inodeId: num(r['inode_id']),
  namespace: num(r['namespace']),
  name: text(r['name']),
  value: r['value'] === null || r['value'] === undefined ? null : (r['value'] as Buffer),
});

const toXAttr = rowsWith(xattrOfColumns);

export const sqlXAttrs: XAttrRepository = {
  findByInode: (inodeId) => sqlQuery({ sql: 'SELECT inode_id, namespace, name, value FROM xattrs WHERE inode_id = ? ORDER BY namespace, name', params: [inodeId] }, toXAttr),
  findByInodesBatched: (inodeIds) =>
    sqlQuery(
      { sql: `SELECT inode_id, namespace, name, value FROM xattrs WHERE inode_id IN (${placeholders(inodeIds.length)}) ORDER BY inode_id, namespace, name`, params: [...inodeIds] },
      toXAttr,
    ),
  upsert: (x) =>
    sqlMutation({
      sql: 'INSERT INTO xattrs (inode_id, namespace, name, value) VALUES (?,?,?,?) ON DUPLICATE KEY UPDATE value = VALUES(value)',
      params: [x.inodeId, x.namespace, bytes(x.name), x.value],
    }),
  deleteByPk: (x) => sqlMutation({ sql: 'DELETE FROM xattrs WHERE inode_id = ? AND namespace = ? AND name = ?', params: [x.inodeId, x.namespace, bytes(x.name)] }),
  deleteByInodesBatched: (ids) => sqlMutation({ sql: `DELETE FROM xattrs WHERE inode_id IN (${placeholders(ids.length)})`, params: [...ids] }),
};
