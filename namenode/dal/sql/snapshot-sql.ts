import { COUNTER_SNAPSHOT_ID } from '../../../schema/counters';
import type { SnapshotRepository, SnapshotRow, SnapshottableDirRow } from '../snapshot-repository';
import { sqlMutation, sqlQuery } from '../query';
import { nextOfCounterMadeOnFirstUse } from './counter-sql';
import { bytes, num, placeholders, rowsWith, text } from './sql-values';

const lockClause = (lock: 'none' | 'exclusive'): string => (lock === 'exclusive' ? ' FOR UPDATE' : '');

const toSnapshottable = rowsWith((r): SnapshottableDirRow => ({ dirId: num(r['dir_id']), snapshotQuota: num(r['snapshot_quota']) }));
const toSnapshot = rowsWith(
  (r): SnapshotRow => ({ dirId: num(r['dir_id']), name: text(r['name']), snapshotId: num(r['snapshot_id']), createdAt: num(r['created_at']) }),
);

export const sqlSnapshots: SnapshotRepository = {
  findSnapshottableByDirsBatched: (dirIds, lock) =>
    sqlQuery({ sql: `SELECT dir_id, snapshot_quota FROM snapshottable_dirs WHERE dir_id IN (${placeholders(dirIds.length)}) ORDER BY dir_id${lockClause(lock)}`, params: [...dirIds] }, toSnapshottable),

  findAllSnapshottable: (lock) => sqlQuery({ sql: `SELECT dir_id, snapshot_quota FROM snapshottable_dirs ORDER BY dir_id${lockClause(lock)}`, params: [] }, toSnapshottable),

  upsertSnapshottable: (row) =>
    sqlMutation({
      sql: 'INSERT INTO snapshottable_dirs (dir_id, snapshot_quota) VALUES (?, ?) ON DUPLICATE KEY UPDATE snapshot_quota = VALUES(snapshot_quota)',
      params: [row.dirId, row.snapshotQuota],
    }),

  deleteSnapshottableByDir: (dirId) => sqlMutation({ sql: 'DELETE FROM snapshottable_dirs WHERE dir_id = ?', params: [dirId] }),

  findSnapshotsByDirsBatched: (dirIds, lock) =>
    sqlQuery(
      {
        sql: `SELECT dir_id, name, snapshot_id, created_at FROM snapshots WHERE dir_id IN (${placeholders(dirIds.length)}) AND deleted = 0 ORDER BY dir_id, name${lockClause(lock)}`,
        params: [...dirIds],
      },
      toSnapshot,
    ),

  insertSnapshot: (row) =>
    sqlMutation({ sql: 'INSERT INTO snapshots (dir_id, name, snapshot_id, created_at) VALUES (?, ?, ?, ?)', params: [row.dirId, bytes(row.name), row.snapshotId, row.createdAt] }),

  deleteSnapshotByPk: (dirId, name) => sqlMutation({ sql: 'DELETE FROM snapshots WHERE dir_id = ? AND name = ?', params: [dirId, bytes(name)] }),

  renameSnapshotByPk: (dirId, oldName, newName) =>
    sqlMutation({ sql: 'UPDATE snapshots SET name = ? WHERE dir_id = ? AND name = ?', params: [bytes(newName), dirId, bytes(oldName)] }),

  findAllSnapshotIds: () =>
    sqlQuery(
      { sql: 'SELECT dir_id, snapshot_id, deleted FROM snapshots', params: [] },
      rowsWith((r) => ({ dirId: num(r['dir_id']), snapshotId: num(r['snapshot_id']), deleted: num(r['deleted']) === 1 })),
    ),

  markSnapshotDeleted: (dirId, name, snapshotId) =>
    sqlMutation({ sql: 'UPDATE snapshots SET deleted = 1, name = ? WHERE dir_id = ? AND name = ?', params: [bytes(`/deleted/${snapshotId}`), dirId, bytes(name)] }),

  deleteSnapshotById: (snapshotId) => sqlMutation({ sql: 'DELETE FROM snapshots WHERE snapshot_id = ?', params: [snapshotId] }),

  nextSnapshotId: () => nextOfCounterMadeOnFirstUse(COUNTER_SNAPSHOT_ID),
};
