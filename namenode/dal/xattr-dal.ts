import type { SqlRow, SqlStatement } from './sql-session';

/** One extended attribute; namespace as in XAttrProto.XAttrNamespaceProto. */
export interface XAttrRow {
  readonly inodeId: number;
  readonly namespace: number;
  readonly name: string;
  readonly value: Buffer | null;
}

export const selectByInode = (inodeId: number): SqlStatement => ({
  sql: 'SELECT inode_id, namespace, name, value FROM xattrs WHERE inode_id = ? ORDER BY namespace, name',
  params: [inodeId],
});

export const upsertByPk = (x: XAttrRow): SqlStatement => ({
  sql: 'INSERT INTO xattrs (inode_id, namespace, name, value) VALUES (?,?,?,?) ON DUPLICATE KEY UPDATE value = VALUES(value)',
  params: [x.inodeId, x.namespace, Buffer.from(x.name, 'utf8'), x.value],
});

export const deleteByPk = (x: Pick<XAttrRow, 'inodeId' | 'namespace' | 'name'>): SqlStatement => ({
  sql: 'DELETE FROM xattrs WHERE inode_id = ? AND namespace = ? AND name = ?',
  params: [x.inodeId, x.namespace, Buffer.from(x.name, 'utf8')],
});

export const deleteByInodesBatched = (inodeIds: readonly number[]): SqlStatement => ({
  sql: `DELETE FROM xattrs WHERE inode_id IN (${inodeIds.map(() => '?').join(',')})`,
  params: [...inodeIds],
});

export const toXAttrRow = (r: SqlRow): XAttrRow => ({
  inodeId: Number(r['inode_id']),
  namespace: Number(r['namespace']),
  name: Buffer.isBuffer(r['name']) ? r['name'].toString('utf8') : String(r['name']),
  value: r['value'] === null || r['value'] === undefined ? null : (r['value'] as Buffer),
});
