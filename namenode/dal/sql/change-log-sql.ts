import { ChangeKind, type ChangeDetail } from '../../domain/change-event';
import type { ChangeLogClocks, ChangeLogRepository, StoredChange } from '../change-log-repository';
import { rowShape, sqlMutation, sqlQuery, withRows } from '../query';
import { rowsOf } from './sql-session';
import { bytes, firstRow, nullableText, num, rowsWith, text } from './sql-values';
import { valuesRow, valuesRows, valuesTable } from './values-table';

/** `path2` holds a rename's destination, or a created symlink's target (either may be as long as a path; `detail` is small). */
const stored = rowsWith((r): StoredChange => {
  const kind = num(r['kind']) as ChangeKind;
  const path2 = nullableText(r['path2']);
  const detail = JSON.parse(text(r['detail'])) as ChangeDetail;
  return {
    position: num(r['position']),
    txnId: num(r['txn_id']),
    seq: num(r['seq']),
    createdMs: num(r['created_ms']),
    event:
      path2 === null
        ? { kind, path: text(r['path']), detail }
        : kind === ChangeKind.Create
          ? { kind, path: text(r['path']), detail: { ...detail, symlinkTarget: path2 } }
          : { kind, path: text(r['path']), dstPath: path2, detail },
  };
});

const COLUMNS = 'position, txn_id, seq, created_ms, kind, path, path2, detail';

/** change_log.detail's size (schema/tables-change-log.ts). */
const DETAIL_BYTES = 2000;

/** The detail as stored: xattr values, then ACL entries, are left out when it would not fit its column. */
function detailBytes(detail: ChangeDetail): Buffer {
  const candidates = [detail, { ...detail, ...(detail.xattrs ? { xattrs: detail.xattrs.map(({ namespace, name }) => ({ namespace, name })) } : {}) }];
  candidates.push({ ...(candidates[1] as ChangeDetail), ...(detail.acl ? { acl: [] } : {}) });
  for (const c of candidates) {
    const b = bytes(JSON.stringify(c));
    if (b.length <= DETAIL_BYTES) return b;
  }
  return bytes(JSON.stringify({ ...detail, xattrs: [], acl: [] }));
}

const APPEND_INTO = 'INSERT INTO change_log (txn_id, seq, epoch, stamp, created_ms, kind, path, path2, detail) ';
const APPEND_STAMP = 'CAST(UNIX_TIMESTAMP(SYSDATE(6)) * 1000000 AS UNSIGNED)';
const APPEND_ONE = `${APPEND_INTO}SELECT ?, ?, value, ${APPEND_STAMP}, ?, ?, ?, ?, ? FROM change_log_clock WHERE name = 'epoch' LOCK IN SHARE MODE`;
const APPEND_COLUMNS = ['txn_id', 'seq', 'created_ms', 'kind', 'path', 'path2', 'detail'];
const APPEND_ROWS = rowShape({
  into: 'change_log',
  head: `${APPEND_INTO}SELECT e.txn_id, e.seq, c.value, ${APPEND_STAMP}, e.created_ms, e.kind, e.path, e.path2, e.detail FROM change_log_clock c JOIN (${valuesTable(APPEND_COLUMNS)}`,
  rows: valuesRow(APPEND_COLUMNS.length),
  separator: ', ',
  tail: ") e WHERE c.name = 'epoch' LOCK IN SHARE MODE",
});
const POSITIONS_TABLE = valuesTable(['txn_id', 'position']);

export const sqlChangeLog: ChangeLogRepository = {
  append: (txnId, seq, e, nowMs) => {
    const { symlinkTarget, ...detail } = e.detail;
    const path2 = e.dstPath ?? symlinkTarget;
    const params = [txnId, seq, nowMs, e.kind, bytes(e.path), path2 === undefined ? null : bytes(path2), detailBytes(detail)];
    // One event alone is one row selected with the epoch; the rows of several events (a group commit's
    // members) join as one derived table: one statement either way, the lone form ~50 µs cheaper in MariaDB.
    return sqlMutation({ sql: APPEND_ONE, params }, undefined, withRows(APPEND_ROWS, APPEND_ROWS.rows, params));
  },
  findClocks: () =>
    sqlQuery({ sql: 'SELECT name, value FROM change_log_clock', params: [] }, (result): ChangeLogClocks => {
      const v = new Map(rowsOf(result).map((r) => [text(r['name']), num(r['value'])]));
      return { epoch: v.get('epoch') ?? 1, head: v.get('head') ?? 0, trimmed: v.get('trimmed') ?? 0 };
    }),
  hasUnsequenced: () => sqlQuery({ sql: 'SELECT 1 AS x FROM change_log WHERE position IS NULL LIMIT 1', params: [] }, (result) => rowsOf(result).length > 0),
  bumpEpoch: () => sqlMutation({ sql: "UPDATE change_log_clock SET value = value + 1 WHERE name = 'epoch'", params: [] }),
  findHeadForUpdate: () => sqlQuery({ sql: "SELECT value FROM change_log_clock WHERE name = 'head' FOR UPDATE", params: [] }, (result) => num(firstRow(result)?.['value'] ?? 0)),
  findUnsequencedBefore: (epoch, limit) =>
    sqlQuery(
      { sql: 'SELECT txn_id FROM change_log WHERE position IS NULL AND epoch < ? AND seq = 0 ORDER BY epoch, stamp, txn_id LIMIT ?', params: [epoch, limit] },
      (result) => rowsOf(result).map((r) => num(r['txn_id'])),
    ),
  // One statement for a whole pass (up to SEQUENCE_LIMIT transactions) rather than one UPDATE each: a derived
  // table of (txn_id, position) joined on the primary key's first column. STRAIGHT_JOIN keeps the derived table
  // first: under writes MariaDB chose to scan the whole change log and look each row up in it (20-35k rows read
  // per pass of 1000, 50-70 ms, in the slow log with the bench's creates; stop 57).
  assignPositions: (txnIds, first) =>
    sqlMutation({
      sql: `UPDATE (${POSITIONS_TABLE}${valuesRows(2, txnIds.length)}) v STRAIGHT_JOIN change_log c ON c.txn_id = v.txn_id SET c.position = v.position`,
      params: txnIds.flatMap((txnId, i) => [txnId, first + i]),
    }),
  setClock: (name, value) => sqlMutation({ sql: 'UPDATE change_log_clock SET value = ? WHERE name = ?', params: [value, name] }),
  findByPositionRange: (after, upTo) =>
    sqlQuery({ sql: `SELECT ${COLUMNS} FROM change_log WHERE position > ? AND position <= ? ORDER BY position, seq`, params: [after, upTo] }, stored),
  findLastPositionBefore: (createdMs) =>
    sqlQuery({ sql: 'SELECT MAX(position) AS p FROM change_log WHERE created_ms < ? AND position IS NOT NULL', params: [createdMs] }, (result) => {
      const p = firstRow(result)?.['p'];
      return p === null || p === undefined ? undefined : num(p);
    }),
  deleteUpTo: (position, limit) => sqlMutation({ sql: 'DELETE FROM change_log WHERE position <= ? LIMIT ?', params: [position, limit] }),
};
