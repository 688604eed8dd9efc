import type { LeaseRepository } from '../lease-repository';
import { sqlDeleteIn, sqlMutation, sqlQuery, sqlRowsMutation, type SqlMutation } from '../query';
import { firstRow, num, placeholders, rowsWith, text } from './sql-values';

/**
 * The other paths of each holder joined (not deleted): a holder row matches
 * only when it has none left. Closes of one transaction (a group commit's
 * completes) join in one statement of all their paths: a holder whose
 * every path closes loses its lease once, as it would by the last of them.
 */
function closePathsBatched(ids: readonly number[]): SqlMutation {
  const m = sqlMutation({
    sql: `DELETE lp, l FROM lease_paths lp
            LEFT JOIN lease_paths o ON o.holder = lp.holder AND o.inode_id NOT IN (${placeholders(ids.length)})
            LEFT JOIN leases l ON l.holder = lp.holder AND o.inode_id IS NULL
            WHERE lp.inode_id IN (${placeholders(ids.length)})`,
    params: [...ids, ...ids],
  });
  const idsOf = (j: SqlMutation): number[] => j.statement.params.slice(0, j.statement.params.length / 2) as number[];
  return { ...m, sameRow: { table: 'lease_paths', key: 'closePaths', join: (all) => closePathsBatched([...new Set(all.flatMap(idsOf))]) } };
}

export const sqlLeases: LeaseRepository = {
  upsert: (holder, now) =>
    sqlRowsMutation(
      { into: 'leases', head: 'INSERT INTO leases (holder, last_renewed) VALUES ', rows: '(?, ?)', separator: ',', tail: ' ON DUPLICATE KEY UPDATE last_renewed = VALUES(last_renewed)' },
      [holder, now],
    ),
  renew: (holder, now) => sqlMutation({ sql: 'UPDATE leases SET last_renewed = ? WHERE holder = ?', params: [now, holder] }),
  renewUnlessSafeMode: (holder, now) =>
    sqlMutation({
      sql: 'UPDATE leases SET last_renewed = ? WHERE holder = ? AND (SELECT safe_mode_entered_at FROM namespace_info WHERE id = 1) IS NULL',
      params: [now, holder],
    }),
  insertPath: (inodeId, holder) =>
    sqlRowsMutation(
      { into: 'lease_paths', head: 'INSERT INTO lease_paths (inode_id, holder) VALUES ', rows: '(?, ?)', separator: ',', tail: ' ON DUPLICATE KEY UPDATE holder = VALUES(holder)' },
      [inodeId, holder],
    ),
  deletePathsByInodesBatched: (ids) => sqlDeleteIn('lease_paths', 'inode_id', ids),
  closePathsBatched,
  deleteIfEmpty: (holder) =>
    sqlMutation({
      sql: 'DELETE FROM leases WHERE holder = ? AND NOT EXISTS (SELECT 1 FROM lease_paths WHERE lease_paths.holder = leases.holder)',
      params: [holder],
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
