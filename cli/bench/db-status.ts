import type mysql from 'mysql2/promise';
import { showGlobalStatus } from './db-probe-statements';

/**
 * The server-wide statement counters the benchmark divides by operations.
 * `Statements` is every statement the server ran for its clients, one by
 * one: SHOW GLOBAL STATUS `Queries` less `Com_compound_sql`. A namenode
 * sends a transaction's writes and COMMIT as one compound statement on
 * MariaDB (namenode/dal/sql/sql-db.ts); `Questions` counts that as one,
 * `Queries` counts the statements inside it and the compound statement
 * itself. Without compound statements it equals `Questions`.
 */
export const STATEMENT_COUNTERS = ['Statements', 'Com_select', 'Com_insert', 'Com_update', 'Com_delete', 'Com_commit'] as const;
export type StatementCounter = (typeof STATEMENT_COUNTERS)[number];
export type StatementCounts = Record<StatementCounter, number>;

const SERVER_COUNTERS = ['Queries', 'Com_compound_sql', ...STATEMENT_COUNTERS.filter((c) => c !== 'Statements')];

/** SHOW GLOBAL STATUS for the counters (each read itself adds one statement). */
export async function readStatementCounts(pool: mysql.Pool): Promise<StatementCounts> {
  const [rows] = await pool.query<mysql.RowDataPacket[]>(showGlobalStatus(SERVER_COUNTERS.length), SERVER_COUNTERS);
  const server = new Map(rows.map((row) => [String(row['Variable_name']), Number(row['Value'])]));
  const out = Object.fromEntries(STATEMENT_COUNTERS.map((c) => [c, server.get(c) ?? 0])) as StatementCounts;
  out.Statements = (server.get('Queries') ?? 0) - (server.get('Com_compound_sql') ?? 0);
  return out;
}

export function statementDelta(before: StatementCounts, after: StatementCounts): StatementCounts {
  return Object.fromEntries(STATEMENT_COUNTERS.map((c) => [c, after[c] - before[c]])) as StatementCounts;
}
