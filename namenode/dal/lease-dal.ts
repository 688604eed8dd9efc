import type { SqlRow, SqlStatement } from './sql-session';

export interface LeaseRow {
  readonly holder: string;
  readonly lastRenewed: number;
}

export const upsertLeaseByPk = (holder: string, now: number): SqlStatement => ({
  sql: 'INSERT INTO leases (holder, last_renewed) VALUES (?, ?) ON DUPLICATE KEY UPDATE last_renewed = VALUES(last_renewed)',
  params: [holder, now],
});

export const renewLeaseByPk = (holder: string, now: number): SqlStatement => ({
  sql: 'UPDATE leases SET last_renewed = ? WHERE holder = ?',
  params: [now, holder],
});

export const insertLeasePath = (inodeId: number, holder: string): SqlStatement => ({
  sql: 'INSERT INTO lease_paths (inode_id, holder) VALUES (?, ?) ON DUPLICATE KEY UPDATE holder = VALUES(holder)',
  params: [inodeId, holder],
});

export const deleteLeasePathsByInodesBatched = (inodeIds: readonly number[]): SqlStatement => ({
  sql: `DELETE FROM lease_paths WHERE inode_id IN (${inodeIds.map(() => '?').join(',')})`,
  params: [...inodeIds],
});

/** Drops holders left without any path (their last file was closed or deleted). */
export const deleteEmptyLeasesByHolder = (holder: string): SqlStatement => ({
  sql: 'DELETE FROM leases WHERE holder = ? AND NOT EXISTS (SELECT 1 FROM lease_paths WHERE lease_paths.holder = leases.holder)',
  params: [holder],
});

export const toLeaseRow = (r: SqlRow): LeaseRow => ({
  holder: String(r['holder']),
  lastRenewed: Number(r['last_renewed']),
});

/** Holders silent past the hard limit, with the files they hold open. */
export const selectExpiredLeasePaths = (renewedBefore: number, limit: number): SqlStatement => ({
  sql: `SELECT lp.inode_id, lp.holder FROM leases l JOIN lease_paths lp ON lp.holder = l.holder WHERE l.last_renewed < ? LIMIT ?`,
  params: [renewedBefore, limit],
});
