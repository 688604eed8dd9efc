import type { LeaseRepository } from '../lease-repository';
import { rowShape, sqlMutation, sqlQuery, sqlRowsMutation, withParts, type SqlMutation } from '../query';
import { ROOT_ROW } from './root-row-sql';
import { firstRow, num, placeholders, rowsWith, text } from './sql-values';

/**
 * The lease paths of these files, by key, with LIMIT the number of ids:
 * lease_paths holds only open files, so with a few ids the optimizer scans
 * the whole table, or one range over adjacent ids (a group's files have
 * adjacent ids), and waits for the row past its last match that another
 * transaction is changing (in READ COMMITTED too): two groups closing
 * neighbouring files waited on each other, and deadlocked with their
 * directory touches. The LIMIT stops the scan at its last match. The
 * deletes of one transaction (a group's closes) join in one statement.
 */
function deletePathsByInodesBatched(inodeIds: readonly number[]): SqlMutation {
  const ids = [...new Set(inodeIds)];
  const m = sqlMutation({ sql: `DELETE FROM lease_paths WHERE inode_id IN (${placeholders(ids.length)}) LIMIT ?`, params: [...ids, ids.length] });
  const idsOf = (j: SqlMutation): number[] => j.statement.params.slice(0, -1) as number[];
  return withParts(m, { sameRow: { table: 'lease_paths', key: 'deletePaths', removes: true, join: (all) => deletePathsByInodesBatched(all.flatMap(idsOf)) } });
}

const LEASE_ROWS = rowShape({ into: 'leases', head: 'INSERT INTO leases (holder, last_renewed) VALUES ', rows: '(?, ?)', separator: ',', tail: ' ON DUPLICATE KEY UPDATE last_renewed = VALUES(last_renewed)' });
const LEASE_PATH_ROWS = rowShape({ into: 'lease_paths', head: 'INSERT INTO lease_paths (inode_id, holder) VALUES ', rows: '(?, ?)', separator: ',', tail: ' ON DUPLICATE KEY UPDATE holder = VALUES(holder)' });

export const sqlLeases: LeaseRepository = {
  upsert: (holder, now) =>
    sqlRowsMutation(LEASE_ROWS, [holder, now]),
  renew: (holder, now) => sqlMutation({ sql: 'UPDATE leases SET last_renewed = ? WHERE holder = ?', params: [now, holder] }),
  renewUnlessSafeMode: (holder, now) =>
    sqlMutation({
      sql: `UPDATE leases SET last_renewed = ? WHERE holder = ? AND (SELECT safe_mode_entered_at FROM inodes WHERE ${ROOT_ROW}) IS NULL`,
      params: [now, holder],
    }),
  insertPath: (inodeId, holder) =>
    sqlRowsMutation(LEASE_PATH_ROWS, [inodeId, holder]),
  deletePathsByInodesBatched,
  findEmpty: (renewedBefore, limit) =>
    sqlQuery(
      {
        sql: 'SELECT l.holder FROM leases l WHERE l.last_renewed < ? AND NOT EXISTS (SELECT 1 FROM lease_paths lp WHERE lp.holder = l.holder) LIMIT ?',
        params: [renewedBefore, limit],
      },
      rowsWith((r) => text(r['holder'])),
    ),
  deleteEmpty: (holders, renewedBefore) =>
    sqlMutation({
      sql: `DELETE FROM leases WHERE holder IN (${placeholders(holders.length)}) AND last_renewed < ?
              AND NOT EXISTS (SELECT 1 FROM lease_paths lp WHERE lp.holder = leases.holder)`,
      params: [...holders, renewedBefore],
    }),
  findPathsAfter: (afterInodeId, limit) =>
    sqlQuery(
      { sql: 'SELECT inode_id, holder FROM lease_paths WHERE inode_id > ? ORDER BY inode_id LIMIT ?', params: [afterInodeId, limit] },
      rowsWith((r) => ({ inodeId: num(r['inode_id']), holder: text(r['holder']) })),
    ),
  countPaths: (holder) =>
    sqlQuery({ sql: 'SELECT COUNT(*) AS n FROM lease_paths WHERE holder = ?', params: [holder] }, (res) => num(firstRow(res)?.['n'] ?? 0)),
  findExpiredPaths: (renewedBefore, limit) =>
    sqlQuery(
      { sql: 'SELECT lp.inode_id, lp.holder FROM leases l JOIN lease_paths lp ON lp.holder = l.holder WHERE l.last_renewed < ? LIMIT ?', params: [renewedBefore, limit] },
      rowsWith((r) => ({ inodeId: num(r['inode_id']), holder: text(r['holder']) })),
    ),
};
