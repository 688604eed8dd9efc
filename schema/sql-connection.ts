/**
 * The one driver method schema code needs. A mysql2 promise `Connection` or
 * `PoolConnection` satisfies it structurally. It must be ONE connection, not
 * a pool: the schema lock (`GET_LOCK`) and transactions belong to a session.
 */
export interface SqlConnection {
  query(sql: string, values?: unknown[]): Promise<readonly [unknown, unknown]>;
}

export type Row = Readonly<Record<string, unknown>>;

/** Runs a SELECT and returns its rows, refusing any other result shape. */
export async function selectRows(conn: SqlConnection, sql: string, values: unknown[] = []): Promise<Row[]> {
  const [rows] = await conn.query(sql, values);
  if (!Array.isArray(rows)) throw new Error(`expected rows from: ${sql}`);
  return rows as Row[];
}

/** MySQL server error number of a driver error, if it has one. */
export function mysqlErrno(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('errno' in err)) return undefined;
  const errno = (err as { errno: unknown }).errno;
  return typeof errno === 'number' ? errno : undefined;
}
