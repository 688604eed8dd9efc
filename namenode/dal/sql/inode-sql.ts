import { ROOT_PARENT_ID } from '../../../schema/tables';
import type { InodeRepository, LockMode, StoredStatus } from '../inode-repository';
import { idToken, keyToken, type InodeKey, type InodeRef, type InodeRow } from '../inode-row';
import { listingToken, readLockClause } from '../cache-tokens';
import { rowShape, sqlMutation, sqlQuery, sqlRowsMutation, withParts, withRows, type SqlMutation } from '../query';
import { rowsOf, type SqlRow, type SqlStatement } from './sql-session';
import { ChildPagesSql } from './child-pages-sql';
import { findByPkWithBlocks } from './inode-block-sql';
import { INODE_COLUMNS, inodeWriteParams, statusBytesOf, keyListParams, keyParams, toInodeRow } from './inode-columns';
import { bytes, firstRow, nullableBytes, num, placeholders, rowsWith, text, textsByLength } from './sql-values';
import { valuesRow, valuesRows, valuesTable } from './values-table';

const COLUMNS = INODE_COLUMNS;

const LOCK_CLAUSES: Readonly<Record<LockMode, string>> = { none: '', shared: ' LOCK IN SHARE MODE', sharedSkipLocked: ' LOCK IN SHARE MODE SKIP LOCKED', exclusive: ' FOR UPDATE' };
const lockClause = (lock: LockMode): string => LOCK_CLAUSES[lock];

const inodeRows = rowsWith(toInodeRow);

/**
 * A touch's guard: fails (ER_SUBQUERY_NO_1_ROW, classified 'guard') when
 * the UPDATE before it matched fewer rows than it touches directories, one
 * of them deleted after the touching operation read it unlocked: the
 * scalar subquery then has two rows. The condition sits inside the
 * subquery, so the answer is the same whether the server evaluates it
 * lazily or at once as a constant. mysql2 connects with CLIENT_FOUND_ROWS,
 * so ROW_COUNT() counts matched rows, changed or not. An assignment rather
 * than a SIGNAL, which MySQL allows only in stored programs; rather than a
 * SELECT, whose result set is one more packet to send and parse (and which
 * a compound statement, sql-db.ts, would send on its own); not a DO, which
 * turns the error into a warning.
 */
const matchedRows = (n: number): SqlStatement => ({ sql: 'SET @nnfleet_guard = (SELECT 1 UNION ALL SELECT 2 FROM DUAL WHERE ROW_COUNT() < ?)', params: [n] });

/** What a change of a row by its id names: the row, and its parent's listing (which holds the row). */
const refTokens = (r: InodeRef): string[] => [idToken(r.id), listingToken(r.parentId)];

/** One directory's touch: what InodeRepository.touchDirectory was asked. */
interface Touch {
  readonly id: number;
  /** Its parent, whose listing holds the row. */
  readonly parentId: number;
  readonly delta: number;
  readonly mtime: number;
  readonly hasQuota: boolean;
}

/** The touches a (joined) touch statement carries, for joining it again. */
const touchesOf = new WeakMap<SqlMutation, readonly Touch[]>();

/** The row's new child count, or NULL (refused) past the limit or when its quota flag is not the one expected (-1: the touches disagreed, so refused). */
const CHILDREN_AFTER = 'IF(children + ? <= ? AND has_quota = ?, GREATEST(children + ?, 0), NULL)';

/**
 * touchDirectory, and touches joined. Touches that add children under one
 * limit (a group commit's creates and mkdirs, in any directories) join as
 * one UPDATE: per directory the deltas summed and the newest mtime, so it
 * refuses exactly when the last of them, one after the other, would; the
 * rows are locked in the id index's order whatever the members' order.
 * Touches that remove children (a group's deletes) join alike, apart.
 */
function touchAll(touches: readonly Touch[], maxItems: number): SqlMutation {
  const byId = new Map<number, { delta: number; mtime: number; hasQuota: boolean | null }>();
  for (const t of touches) {
    const seen = byId.get(t.id);
    if (!seen) byId.set(t.id, { delta: t.delta, mtime: t.mtime, hasQuota: t.hasQuota });
    else byId.set(t.id, { delta: seen.delta + t.delta, mtime: Math.max(seen.mtime, t.mtime), hasQuota: seen.hasQuota === t.hasQuota ? t.hasQuota : null });
  }
  const ids = [...byId.keys()];
  const limitOf = (delta: number) => (delta > 0 ? maxItems : Number.MAX_SAFE_INTEGER);
  const quotaOf = (q: boolean | null) => (q === null ? -1 : q ? 1 : 0);
  let statement: SqlStatement;
  if (ids.length === 1) {
    const [id, t] = [...byId][0] as [number, { delta: number; mtime: number; hasQuota: boolean | null }];
    statement = { sql: `UPDATE inodes SET mtime = GREATEST(mtime, ?), children = ${CHILDREN_AFTER} WHERE id = ?`, params: [t.mtime, t.delta, limitOf(t.delta), quotaOf(t.hasQuota), t.delta, id] };
  } else {
    const whens = (then: string) => ids.map(() => ` WHEN ? THEN ${then}`).join('');
    statement = {
      sql: `UPDATE inodes SET mtime = GREATEST(mtime, CASE id${whens('?')} END), children = CASE id${whens(CHILDREN_AFTER)} END WHERE id IN (${placeholders(ids.length)})`,
      params: [
        ...[...byId].flatMap(([id, t]) => [id, t.mtime]),
        ...[...byId].flatMap(([id, t]) => [id, t.delta, limitOf(t.delta), quotaOf(t.hasQuota), t.delta]),
        ...ids,
      ],
    };
  }
  const m = sqlMutation(statement, [...ids.map(idToken), ...new Set(touches.map((t) => listingToken(t.parentId)))], undefined, undefined, matchedRows(ids.length));
  // Touches that add join (under one limit), and touches that remove: a statement's refusals stay those of its kind.
  const key = touches.every((t) => t.delta > 0) ? `touch/${maxItems}` : touches.every((t) => t.delta <= 0) ? 'touch/removed' : undefined;
  if (key === undefined) return m;
  const joinable = withParts(m, { sameRow: { table: 'inodes', key, join: (all) => touchAll(all.flatMap((j) => touchesOf.get(j) ?? []), maxItems) } });
  touchesOf.set(joinable, touches);
  return joinable;
}

/**
 * updateByPk of rows whose key stays, several in one statement: a
 * multi-table UPDATE joining the rows' new values (a derived table of
 * VALUES, values-table.ts) on the key, the derived table first
 * (STRAIGHT_JOIN: each row one primary-key lookup, whatever the optimizer
 * guesses of the derived table's size). Like UPDATE it changes only rows
 * that exist (never inserts) and sets the same columns.
 */
const SET_COLUMNS = ['id', 'type', 'permission', 'owner', 'group_name', 'mtime', 'atime', 'replication', 'block_size', 'length', 'storage_policy', 'symlink', 'uc_client', 'uc_machine', 'children', 'acl', 'snap_epoch', 'status_head', 'status_tail'];
const UPDATE_IN_PLACE = rowShape({
  into: 'inodes',
  head: `UPDATE (${valuesTable(['parent_id', 'name', ...SET_COLUMNS])}`,
  rows: valuesRow(2 + SET_COLUMNS.length),
  separator: ', ',
  tail: `) v STRAIGHT_JOIN inodes i ON i.parent_id = v.parent_id AND i.name = v.name SET ${SET_COLUMNS.map((c) => `i.${c} = v.${c}`).join(', ')}`,
});

/**
 * findByPkBatched's texts by lock mode and key count. The unlocked lookup
 * (the lookup flights' prepared statement) names its keys as a row list,
 * `(parent_id, name) IN ((?, ?), …)`: the same primary-key ranges as an OR
 * of equalities (EXPLAIN: range on PRIMARY either way), for less of the
 * server's CPU. fileStatus, 32 threads, one namenode: MariaDB 11 → 9 µs
 * per call, 19,500-20,600 → 21,100-21,600 calls/s (bench/README.md, stop
 * 39). Locking reads keep the OR form they were measured with.
 */
const byKeys = (n: number, lock: LockMode): string =>
  lock === 'none'
    ? `SELECT ${COLUMNS} FROM inodes WHERE (parent_id, name) IN (${Array.from({ length: n }, () => '(?, ?)').join(', ')})`
    : `SELECT ${COLUMNS} FROM inodes WHERE ${Array.from({ length: n }, () => '(parent_id = ? AND name = ?)').join(' OR ')}${lockClause(lock)}`;
const BY_KEYS_SQL: Readonly<Record<LockMode, (n: number) => string>> = Object.fromEntries(
  (Object.keys(LOCK_CLAUSES) as LockMode[]).map((lock) => [lock, textsByLength((n) => byKeys(n, lock))]),
) as Record<LockMode, (n: number) => string>;

/** Directories' child pages (findChildPagesBatched) as rows, and as each child's status bytes and mtime (findChildStatusPagesBatched). */
const CHILD_PAGES = new ChildPagesSql(COLUMNS);
const CHILD_STATUS_PAGES = new ChildPagesSql('status_head, mtime, status_tail');
const toStoredStatus = (r: SqlRow): StoredStatus => ({ head: nullableBytes(r['status_head']), mtime: num(r['mtime']), tail: nullableBytes(r['status_tail']) });

/** insertBatched's parts: inserts of several transactions' rows (a group commit's creates) join as one. */
const INSERT_ROWS = rowShape({
  into: 'inodes',
  head: 'INSERT INTO inodes (parent_id, name, id, type, permission, owner, group_name, mtime, atime, replication, block_size, length, storage_policy, symlink, uc_client, uc_machine, children, acl, snap_epoch, status_head, status_tail) VALUES ',
  rows: '(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
  separator: ',',
  tail: '',
});

/** deleteByPkBatched's parts: deletes of several transactions' rows (a group commit's deletes) join as one. */
const DELETE_BY_KEYS = rowShape({ into: 'inodes', removes: true, head: 'DELETE FROM inodes WHERE ', rows: '(parent_id = ? AND name = ?)', separator: ' OR ', tail: '' });

export const sqlInodes: InodeRepository = {
  findByPkBatched(keys, lock) {
    if (keys.length === 0) throw new Error('findByPkBatched needs at least one key');
    // An unlocked lookup (the lookup flights' plain kind) goes as a prepared statement.
    const { count, params, prepared } = keyListParams(keys, lock === 'none');
    return sqlQuery({ sql: BY_KEYS_SQL[lock](count), params, prepared }, inodeRows);
  },

  findByPkWithBlocksBatched: findByPkWithBlocks,

  findSafeModeAndLockedBatched(groups) {
    // Every member also returns the safe-mode column, set on the root's row only (schema/tables.ts, rootSafeModeColumn).
    const member = (keys: readonly InodeKey[], lock: LockMode) => `SELECT ${COLUMNS}, safe_mode_entered_at FROM inodes WHERE ${keys.map(() => '(parent_id = ? AND name = ?)').join(' OR ')}${lockClause(lock)}`;
    // Members run in order: each group's rows are read (and locked) after the ones before it.
    const filled = groups.filter((g) => g.keys.length > 0);
    const params = filled.flatMap((g) => g.keys.flatMap(keyParams));
    return sqlQuery({ sql: filled.map((g) => `(${member(g.keys, g.mode)})`).join(' UNION ALL '), params }, (result) => {
      let safeModeEnteredAt: number | null | undefined;
      const rows: InodeRow[] = [];
      for (const r of rowsOf(result)) {
        const row = toInodeRow(r);
        if (row.parentId === ROOT_PARENT_ID && row.name === '') safeModeEnteredAt = r['safe_mode_entered_at'] === null ? null : num(r['safe_mode_entered_at']);
        rows.push(row);
      }
      if (safeModeEnteredAt === undefined) throw new Error('the lock round trip read no root row: it carries the safe mode');
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
    return CHILD_PAGES.query(pages, limit, toInodeRow, readLockClause(lock));
  },

  findChildStatusPagesBatched(pages, limit) {
    return CHILD_STATUS_PAGES.query(pages, limit, toStoredStatus);
  },

  findKeysAfter(after, limit) {
    // The OR of two primary-key ranges (EXPLAIN: range on PRIMARY); a row comparison would not be used as a range by every server.
    const sql = 'SELECT parent_id, name, status_head IS NOT NULL AS kept FROM inodes WHERE parent_id > ? OR (parent_id = ? AND name > ?) ORDER BY parent_id, name LIMIT ?';
    return sqlQuery({ sql, params: [after.parentId, after.parentId, bytes(after.name), limit] }, (r) =>
      rowsOf(r).map((x) => ({ key: { parentId: num(x['parent_id']), name: text(x['name']) }, kept: num(x['kept']) === 1 })),
    );
  },

  fillStatusBytes(rows) {
    if (rows.length === 0) throw new Error('fillStatusBytes needs at least one row');
    const params = rows.flatMap((r) => {
      const { head, tail } = statusBytesOf(r);
      return [r.parentId, bytes(r.name), head, tail];
    });
    const values = `${valuesTable(['parent_id', 'name', 'head', 'tail'])}${valuesRows(4, rows.length)}`;
    // Guarded: a row written since it was read has its own, newer bytes (every write since v16 sets them).
    const sql = `UPDATE (${values}) v STRAIGHT_JOIN inodes i ON i.parent_id = v.parent_id AND i.name = v.name SET i.status_head = v.head, i.status_tail = v.tail WHERE i.status_head IS NULL`;
    return sqlMutation({ sql, params }, []);
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

  setSubtreeLockById(row, owner, now) {
    return sqlMutation({ sql: 'UPDATE inodes SET subtree_lock_owner = ?, subtree_lock_time = ? WHERE id = ?', params: [owner, now, row.id] }, refTokens(row));
  },

  clearSubtreeLockById(row, owner) {
    return sqlMutation({ sql: 'UPDATE inodes SET subtree_lock_owner = NULL, subtree_lock_time = NULL WHERE id = ? AND subtree_lock_owner = ?', params: [row.id, owner] }, refTokens(row));
  },

  insertBatched(rows) {
    return sqlRowsMutation(
      withRows(INSERT_ROWS, rows.map(() => INSERT_ROWS.rows).join(',')),
      rows.flatMap(inodeWriteParams),
      // The new rows' keys and ids too: they invalidate nothing cached, and a coherent cache's writer reads them back (namenode/cache/README.md, *Writer's rows*).
      [...new Set(rows.map((r) => r.parentId))].map(listingToken).concat(rows.flatMap((r) => [keyToken(r), idToken(r.id)])),
    );
  },

  updateByPk(oldKey, r) {
    const params = inodeWriteParams(r);
    const m = sqlMutation({
      sql: 'UPDATE inodes SET parent_id = ?, name = ?, id = ?, type = ?, permission = ?, owner = ?, group_name = ?, mtime = ?, atime = ?, replication = ?, block_size = ?, length = ?, storage_policy = ?, symlink = ?, uc_client = ?, uc_machine = ?, children = ?, acl = ?, snap_epoch = ?, status_head = ?, status_tail = ? WHERE parent_id = ? AND name = ?',
      params: [...params, ...keyParams(oldKey)],
    }, [...new Set([idToken(r.id), keyToken(oldKey), listingToken(oldKey.parentId), listingToken(r.parentId)])]);
    // A row that keeps its key and id (a group commit's completes, setTimes…) joins the others in one statement.
    if (oldKey.parentId !== r.parentId || oldKey.name !== r.name || ('id' in oldKey && oldKey.id !== r.id)) return m;
    return withParts(m, { rows: withRows(UPDATE_IN_PLACE, UPDATE_IN_PLACE.rows, params) });
  },

  lockChildrenByParent(parentId) {
    return sqlQuery({ sql: 'SELECT id FROM inodes WHERE parent_id = ? FOR UPDATE', params: [parentId] }, (r) => rowsWith((x) => x)(r).length);
  },

  setLatestSnapshot(row, snapshotId) {
    return sqlMutation({ sql: 'UPDATE inodes SET latest_snapshot = ? WHERE id = ?', params: [snapshotId, row.id] }, refTokens(row));
  },

  setHasQuota(row, on) {
    return sqlMutation({ sql: 'UPDATE inodes SET has_quota = ? WHERE id = ?', params: [on ? 1 : 0, row.id] }, refTokens(row));
  },

  // children = NULL (a NOT NULL column) is how one statement refuses: see InodeRepository.touchDirectory.
  touchDirectory(dir, childDelta, mtime, maxItems, hasQuota) {
    return touchAll([{ id: dir.id, parentId: dir.parentId, delta: childDelta, mtime, hasQuota }], maxItems);
  },

  deleteByPkBatched(keys) {
    return sqlRowsMutation(withRows(DELETE_BY_KEYS, keys.map(() => DELETE_BY_KEYS.rows).join(DELETE_BY_KEYS.separator)), keys.flatMap(keyParams), [
      ...keys.map(keyToken),
      ...new Set(keys.map((k) => listingToken(k.parentId))),
    ]);
  },
};
