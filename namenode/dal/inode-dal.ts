import type { InodeKey, InodeRow, InodeType } from './inode-row';
import type { SqlParam, SqlRow, SqlStatement } from './sql-session';

/**
 * SQL for `inodes`. Every finder names its access path (…ByPk, …Batched,
 * …ByParent) so the cost of a query is visible where it is called. Finders
 * return statements; the transaction layer decides how many travel in one
 * round trip.
 */
export type LockMode = 'none' | 'shared' | 'exclusive';

const COLUMNS =
  'id, parent_id, name, type, permission, owner, group_name, mtime, atime, replication, block_size, length, storage_policy, symlink, uc_client, uc_machine';

const lockClause = (lock: LockMode): string =>
  lock === 'shared' ? ' LOCK IN SHARE MODE' : lock === 'exclusive' ? ' FOR UPDATE' : '';

const keyParams = (k: InodeKey): SqlParam[] => [k.parentId, Buffer.from(k.name, 'utf8')];

export function selectByPkBatched(keys: readonly InodeKey[], lock: LockMode): SqlStatement {
  if (keys.length === 0) throw new Error('selectByPkBatched needs at least one key');
  return {
    sql: `SELECT ${COLUMNS} FROM inodes WHERE ${keys.map(() => '(parent_id = ? AND name = ?)').join(' OR ')}${lockClause(lock)}`,
    params: keys.flatMap(keyParams),
  };
}

export function selectByIdBatched(ids: readonly number[], lock: LockMode): SqlStatement {
  return {
    sql: `SELECT ${COLUMNS} FROM inodes WHERE id IN (${ids.map(() => '?').join(',')})${lockClause(lock)}`,
    params: [...ids],
  };
}

/** One page of a directory, sorted by name bytes (the order HDFS lists in). */
export function selectChildrenByParent(parentId: number, startAfter: string, limit: number): SqlStatement {
  return {
    sql: `SELECT ${COLUMNS} FROM inodes WHERE parent_id = ? AND name > ? ORDER BY name LIMIT ?`,
    params: [parentId, Buffer.from(startAfter, 'utf8'), limit],
  };
}

export function countChildrenByParentAfter(parentId: number, startAfter: string): SqlStatement {
  return {
    sql: 'SELECT COUNT(*) AS n FROM inodes WHERE parent_id = ? AND name > ?',
    params: [parentId, Buffer.from(startAfter, 'utf8')],
  };
}

export function selectAnyChildByParent(parentId: number): SqlStatement {
  return { sql: 'SELECT id FROM inodes WHERE parent_id = ? LIMIT 1', params: [parentId] };
}

/** All children of several directories: one level of a subtree walk. */
export function selectChildrenByParentsBatched(parentIds: readonly number[]): SqlStatement {
  return {
    sql: `SELECT ${COLUMNS} FROM inodes WHERE parent_id IN (${parentIds.map(() => '?').join(',')})`,
    params: [...parentIds],
  };
}

const rowParams = (r: InodeRow): SqlParam[] => [
  r.parentId,
  Buffer.from(r.name, 'utf8'),
  r.id,
  r.type,
  r.permission,
  r.owner,
  r.group,
  r.mtime,
  r.atime,
  r.replication,
  r.blockSize,
  r.length,
  r.storagePolicy,
  r.symlink === null ? null : Buffer.from(r.symlink, 'utf8'),
  r.ucClient,
  r.ucMachine,
];

export function insertBatched(rows: readonly InodeRow[]): SqlStatement {
  return {
    sql:
      'INSERT INTO inodes (parent_id, name, id, type, permission, owner, group_name, mtime, atime, replication, block_size, length, storage_policy, symlink, uc_client, uc_machine) VALUES ' +
      rows.map(() => '(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)').join(','),
    params: rows.flatMap(rowParams),
  };
}

/** Rewrites a whole row, its key included (a rename moves the key). */
export function updateByPk(oldKey: InodeKey, r: InodeRow): SqlStatement {
  return {
    sql:
      'UPDATE inodes SET parent_id = ?, name = ?, id = ?, type = ?, permission = ?, owner = ?, group_name = ?, mtime = ?, atime = ?, replication = ?, block_size = ?, length = ?, storage_policy = ?, symlink = ?, uc_client = ?, uc_machine = ? WHERE parent_id = ? AND name = ?',
    params: [...rowParams(r), ...keyParams(oldKey)],
  };
}

export function deleteByPkBatched(keys: readonly InodeKey[]): SqlStatement {
  return {
    sql: `DELETE FROM inodes WHERE ${keys.map(() => '(parent_id = ? AND name = ?)').join(' OR ')}`,
    params: keys.flatMap(keyParams),
  };
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const text = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
const nullableText = (v: unknown): string | null => (v === null || v === undefined ? null : text(v));

export function toInodeRow(r: SqlRow): InodeRow {
  return {
    id: num(r['id']),
    parentId: num(r['parent_id']),
    name: text(r['name']),
    type: num(r['type']) as InodeType,
    permission: num(r['permission']),
    owner: text(r['owner']),
    group: text(r['group_name']),
    mtime: num(r['mtime']),
    atime: num(r['atime']),
    replication: num(r['replication']),
    blockSize: num(r['block_size']),
    length: num(r['length']),
    storagePolicy: num(r['storage_policy']),
    symlink: nullableText(r['symlink']),
    ucClient: nullableText(r['uc_client']),
    ucMachine: nullableText(r['uc_machine']),
  };
}
