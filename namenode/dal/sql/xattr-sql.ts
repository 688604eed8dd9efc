import type { XAttrRepository, XAttrRow } from '../xattr-repository';
import { keyParams } from './inode-columns';
import { sqlDeleteIn, sqlMutation, sqlQuery } from '../query';
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

/** Part 0 counts the chain's rows still at their keys; part 1 is the xattrs (one statement: one read view). */
const ON_PATH_XATTRS = (links: number) =>
  `SELECT 0 AS part, COUNT(*) AS inode_id, 0 AS namespace, NULL AS name, NULL AS value FROM inodes WHERE ${Array.from({ length: links }, () => '(parent_id = ? AND name = ? AND id = ?)').join(' OR ') || 'FALSE'}` +
  ' UNION ALL SELECT 1, inode_id, namespace, name, value FROM xattrs WHERE inode_id = ? ORDER BY part, namespace, name';

export const sqlXAttrs: XAttrRepository = {
  findByInode: (inodeId) => sqlQuery({ sql: 'SELECT inode_id, namespace, name, value FROM xattrs WHERE inode_id = ? ORDER BY namespace, name', params: [inodeId] }, toXAttr),
  findByInodeOnPath: (chain, inodeId) =>
    sqlQuery({ sql: ON_PATH_XATTRS(chain.length), params: [...chain.flatMap((k) => [...keyParams(k), k.id]), inodeId] }, (result) => {
      const [head, ...rows] = result as SqlRow[];
      if (num(head?.['inode_id']) !== chain.length) return undefined;
      return rows.map(xattrOfColumns);
    }),
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
  deleteByInodesBatched: (ids) => sqlDeleteIn('xattrs', 'inode_id', ids),
};
