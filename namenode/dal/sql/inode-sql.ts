import type { InodeRepository, LockMode } from '../inode-repository';
import { idToken, keyToken, type InodeKey, type InodeRow } from '../inode-row';
import { listingToken, readLockClause } from '../cache-tokens';
import { sqlMutation, sqlQuery, sqlRowsMutation, type SqlMutation } from '../query';
import { rowsOf } from './sql-session';
import { findByPkWithBlocks } from './inode-block-sql';
import { INODE_COLUMNS, keyParams, rowParams, toInodeRow } from './inode-columns';
import { bytes, firstRow, num, placeholders, rowsWith } from './sql-values';

const COLUMNS = INODE_COLUMNS;

const LOCK_CLAUSES: Readonly<Record<LockMode, string>> = { none: '', shared: ' LOCK IN SHARE MODE', sharedSkipLocked: ' LOCK IN SHARE MODE SKIP LOCKED', exclusive: ' FOR UPDATE' };
const lockClause = (lock: LockMode): string => LOCK_CLAUSES[lock];

const inodeRows = rowsWith(toInodeRow);

/**
 * touchDirectory. Touches of one directory with the same limit and quota
 * expectation (a group commit's creates into it) join as one: the deltas
 * summed, the newest mtime; it refuses exactly when the last of them, one
 * after the other, would.
 */
function touch(id: number, childDelta: number, mtime: number, maxItems: number, hasQuota: boolean): SqlMutation {
  const m = sqlMutation({
    sql: 'UPDATE inodes SET mtime = GREATEST(mtime, ?), children = IF(children + ? <= ? AND has_quota = ?, GREATEST(children + ?, 0), NULL) WHERE id = ?',
    params: [mtime, childDelta, childDelta > 0 ? maxItems : Number.MAX_SAFE_INTEGER, hasQuota ? 1 : 0, childDelta, id],
  }, [idToken(id)]);
  if (childDelta <= 0) return m;
  const key = `${id}/${maxItems}/${hasQuota ? 1 : 0}`;
  const deltaOf = (j: SqlMutation) => Number(j.statement.params[1]);
  const mtimeOf = (j: SqlMutation) => Number(j.statement.params[0]);
  return {
    ...m,
    sameRow: {
      table: 'inodes',
      key: `touch/${key}`,
      join: (all) => touch(id, all.reduce((n, j) => n + deltaOf(j), 0), Math.max(...all.map(mtimeOf)), maxItems, hasQuota),
    },
  };
}

/**
 * updateByPk of rows whose key stays, several in one statement: a
 * multi-table UPDATE joining the rows' new values (a derived table, one
 * SELECT of literals per row) on the key. Like UPDATE it changes only rows
 * that exist (never inserts) and sets the same columns.
 */
const SET_COLUMNS = ['id', 'type', 'permission', 'owner', 'group_name', 'mtime', 'atime', 'replication', 'block_size', 'length', 'storage_policy', 'symlink', 'uc_client', 'uc_machine', 'children', 'acl', 'snap_epoch'];
const UPDATE_IN_PLACE = {
  into: 'inodes',
  head: 'UPDATE inodes i JOIN (',
  rows: `SELECT ? AS parent_id, ? AS name, ${SET_COLUMNS.map((c) => `? AS ${c}`).join(', ')}`,
  separator: ' UNION ALL ',
  tail: `) v ON i.parent_id = v.parent_id AND i.name = v.name SET ${SET_COLUMNS.map((c) => `i.${c} = v.${c}`).join(', ')}`,
} as const;

/** The lock round trip's first member: the safe-mode row, share-locked, in the inode rows' shape. */
const SAFE_MODE_ROW = `SELECT 1 AS safe_row, safe_mode_entered_at, ${COLUMNS.split(', ').map((c) => `NULL AS ${c}`).join(', ')} FROM namespace_info WHERE id = 1 LOCK IN SHARE MODE`;

export const sqlInodes: InodeRepository = {
  findByPkBatched(keys, lock) {
    if (keys.length === 0) throw new Error('findByPkBatched needs at least one key');
    return sqlQuery(
      {
        sql: `SELECT ${COLUMNS} FROM inodes WHERE ${keys.map(() => '(parent_id = ? AND name = ?)').join(' OR ')}${lockClause(lock)}`,
        params: keys.flatMap(keyParams),
      },
      inodeRows,
    );
  },

  findByPkWithBlocksBatched: findByPkWithBlocks,

  findSafeModeAndLockedBatched(groups) {
    const inodeRows = (keys: readonly InodeKey[], lock: LockMode) => `SELECT 0, NULL, ${COLUMNS} FROM inodes WHERE ${keys.map(() => '(parent_id = ? AND name = ?)').join(' OR ')}${lockClause(lock)}`;
    // Members run in order: each group's rows are read (and locked) after the ones before it.
    const filled = groups.filter((g) => g.keys.length > 0);
    const members = [SAFE_MODE_ROW, ...filled.map((g) => inodeRows(g.keys, g.mode))];
    const params = filled.flatMap((g) => g.keys.flatMap(keyParams));
    return sqlQuery({ sql: members.map((m) => `(${m})`).join(' UNION ALL '), params }, (result) => {
      let safeModeEnteredAt: number | null = null;
      const rows: InodeRow[] = [];
      for (const r of rowsOf(result)) {
        if (num(r['safe_row']) === 1) safeModeEnteredAt = r['safe_mode_entered_at'] === null ? null : num(r['safe_mode_entered_at']);
        else rows.push(toInodeRow(r));
      }
      return { safeModeEnteredAt, rows };
    });
  },

  findByIdBatched(ids, lock) {
    return sqlQuery({ sql: `SELECT ${COLUMNS} FROM inodes WHERE id IN (${placeholders(ids.length)})${lockClause(lock)}`, params: [...ids] }, inodeRows);
  },

  findAncestryById(id, maxDepth) {
    const up = COLUMNS.split(', ').map((c) => `i.${c}`).join(', ');
    return sqlQuery(
      {
        sql:
          `WITH RECURSIVE chain AS (SELECT ${COLUMNS}, 0 AS depth FROM inodes WHERE id = ? ` +
          `UNION ALL SELECT ${up}, chain.depth + 1 FROM inodes i JOIN chain ON i.id = chain.parent_id WHERE chain.depth < ?) ` +
          `SELECT ${COLUMNS} FROM chain ORDER BY depth DESC`,
        params: [id, maxDepth],
      },
      inodeRows,
    );
  },

  findChildrenByParent(parentId, startAfter, limit, lock = 'none') {
    return sqlQuery(
      { sql: `SELECT ${COLUMNS} FROM inodes WHERE parent_id = ? AND name > ? ORDER BY name LIMIT ?${lockClause(lock)}`, params: [parentId, bytes(startAfter), limit] },
      inodeRows,
    );
  },

  findChildPagesBatched(pages, limit, lock) {
    // A locking read is one page (MariaDB takes no locking clause inside a UNION's parts).
    if (lock !== undefined && lock !== 'none' && pages.length !== 1) throw new Error('findChildPagesBatched: a shared-lock read is one page');
    const page = `SELECT ? AS page, ${COLUMNS} FROM inodes WHERE parent_id = ? AND name > ? ORDER BY name LIMIT ?`;
    return sqlQuery(
      { sql: pages.length === 1 ? page + readLockClause(lock) : pages.map(() => `(${page})`).join(' UNION ALL '), params: pages.flatMap((p, i) => [i, p.parentId, bytes(p.startAfter), limit]) },
      (result) => {
        const out = pages.map((): InodeRow[] => []);
        for (const r of rowsOf(result)) out[num(r['page'])]?.push(toInodeRow(r));
        return out;
      },
    );
  },

  countChildrenByParentAfter(parentId, startAfter, cap) {
    const sql = 'SELECT COUNT(*) AS n FROM (SELECT 1 FROM inodes WHERE parent_id = ? AND name > ? LIMIT ?) AS page';
    return sqlQuery({ sql, params: [parentId, bytes(startAfter), cap] }, (r) =>
      num(firstRow(r)?.['n'] ?? 0),
    );
  },

  hasChildrenByParent(parentId) {
    return sqlQuery({ sql: 'SELECT id FROM inodes WHERE parent_id = ? LIMIT 1', params: [parentId] }, (r) => firstRow(r) !== undefined);
  },

  findChildrenByParentsBatched(parentIds) {
    return sqlQuery({ sql: `SELECT ${COLUMNS} FROM inodes WHERE parent_id IN (${placeholders(parentIds.length)})`, params: [...parentIds] }, inodeRows);
  },

  findParentsWithChildrenBatched(parentIds) {
    return sqlQuery(
      { sql: `SELECT DISTINCT parent_id FROM inodes WHERE parent_id IN (${placeholders(parentIds.length)})`, params: [...parentIds] },
      rowsWith((r) => num(r['parent_id'])),
    );
  },

  setSubtreeLockById(id, owner, now) {
    return sqlMutation({ sql: 'UPDATE inodes SET subtree_lock_owner = ?, subtree_lock_time = ? WHERE id = ?', params: [owner, now, id] }, [idToken(id)]);
  },

  clearSubtreeLockById(id, owner) {
    return sqlMutation({ sql: 'UPDATE inodes SET subtree_lock_owner = NULL, subtree_lock_time = NULL WHERE id = ? AND subtree_lock_owner = ?', params: [id, owner] }, [idToken(id)]);
  },

  insertBatched(rows) {
    return sqlRowsMutation(
      {
        into: 'inodes',
        head: 'INSERT INTO inodes (parent_id, name, id, type, permission, owner, group_name, mtime, atime, replication, block_size, length, storage_policy, symlink, uc_client, uc_machine, children, acl, snap_epoch) VALUES ',
        rows: rows.map(() => '(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)').join(','),
        separator: ',',
        tail: '',
      },
      rows.flatMap(rowParams),
      [...new Set(rows.map((r) => r.parentId))].map(listingToken),
    );
  },

  updateByPk(oldKey, r) {
    const params = rowParams(r);
    const m = sqlMutation({
      sql: 'UPDATE inodes SET parent_id = ?, name = ?, id = ?, type = ?, permission = ?, owner = ?, group_name = ?, mtime = ?, atime = ?, replication = ?, block_size = ?, length = ?, storage_policy = ?, symlink = ?, uc_client = ?, uc_machine = ?, children = ?, acl = ?, snap_epoch = ? WHERE parent_id = ? AND name = ?',
      params: [...params, ...keyParams(oldKey)],
    }, [...new Set([idToken(r.id), keyToken(oldKey), listingToken(oldKey.parentId), listingToken(r.parentId)])]);
    // A row that keeps its key and id (a group commit's completes, setTimes…) joins the others in one statement.
    if (oldKey.parentId !== r.parentId || oldKey.name !== r.name || ('id' in oldKey && oldKey.id !== r.id)) return m;
    return { ...m, rows: { ...UPDATE_IN_PLACE, params } };
  },

  lockChildrenByParent(parentId) {
    return sqlQuery({ sql: 'SELECT id FROM inodes WHERE parent_id = ? FOR UPDATE', params: [parentId] }, (r) => rowsWith((x) => x)(r).length);
  },

  setLatestSnapshot(id, snapshotId) {
    return sqlMutation({ sql: 'UPDATE inodes SET latest_snapshot = ? WHERE id = ?', params: [snapshotId, id] }, [idToken(id)]);
  },

  setHasQuota(id, on) {
    return sqlMutation({ sql: 'UPDATE inodes SET has_quota = ? WHERE id = ?', params: [on ? 1 : 0, id] }, [idToken(id)]);
  },

  // children = NULL (a NOT NULL column) is how one statement refuses: see InodeRepository.touchDirectory.
  touchDirectory(id, childDelta, mtime, maxItems, hasQuota) {
    return touch(id, childDelta, mtime, maxItems, hasQuota);
  },

  deleteByPkBatched(keys) {
    return sqlMutation({ sql: `DELETE FROM inodes WHERE ${keys.map(() => '(parent_id = ? AND name = ?)').join(' OR ')}`, params: keys.flatMap(keyParams) }, [
      ...keys.map(keyToken),
      ...new Set(keys.map((k) => listingToken(k.parentId))),
    ]);
  },
};
