import type mysql from 'mysql2/promise';
import { showGlobalStatus } from './db-probe-statements';

/** The server-wide statement counters the benchmark divides by operations. */
export const STATEMENT_COUNTERS = ['Questions', 'Com_select', 'Com_insert', 'Com_update', 'Com_delete', 'Com_commit'] as const;
export type StatementCounter = (typeof STATEMENT_COUNTERS)[number];
export type StatementCounts = Record<StatementCounter, number>;

/** SHOW GLOBAL STATUS for the counters (each read itself adds one to Questions). */
export async function readStatementCounts(pool: mysql.Pool): Promise<StatementCounts> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(
    showGlobalStatus(STATEMENT_COUNTERS.length),
    [...STATEMENT_COUNTERS],
  );
  const out = Object.fromEntries(STATEMENT_COUNTERS.map((c) => [c, 0])) as StatementCounts;
  for (const row of rows) {
    const name = String(row['Variable_name']) as StatementCounter;
    if (name in out) out[name] = Number(row['Value']);
  }
  return out;
}

export function statementDelta(before: StatementCounts, after: StatementCounts): StatementCounts {
  return Object.fromEntries(STATEMENT_COUNTERS.map((c) => [c, after[c] - before[c]])) as StatementCounts;
}
