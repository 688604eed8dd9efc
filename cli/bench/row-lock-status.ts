import type mysql from 'mysql2/promise';
import { showGlobalStatus } from './db-probe-statements';

/** InnoDB's row lock waits so far: how many, and the ms spent waiting. */
export interface RowLockWaits {
  readonly waits: number;
  readonly waitMs: number;
}

const COUNTERS = ['Innodb_row_lock_waits', 'Innodb_row_lock_time'] as const;

export async function readRowLockWaits(pool: mysql.Pool): Promise<RowLockWaits> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(showGlobalStatus(COUNTERS.length), [...COUNTERS]);
  const value = (name: string) => Number(rows.find((r) => r['Variable_name'] === name)?.['Value'] ?? 0);
  return { waits: value('Innodb_row_lock_waits'), waitMs: value('Innodb_row_lock_time') };
}
