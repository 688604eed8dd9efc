/**
 * The narrow slice of mysql2/promise the data access layer needs: easy to
 * fake in unit tests, easy to swap for another MySQL-protocol driver.
 */
export type SqlParam = string | number | bigint | Buffer | null;

export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly SqlParam[];
}

export interface SqlResultHeader {
  readonly affectedRows: number;
  readonly insertId: number;
}

export type SqlRow = Record<string, unknown>;

/** One connection; `query` may carry several `;`-separated statements. */
export interface SqlSession {
  query(sql: string, params?: readonly SqlParam[]): Promise<[unknown, unknown]>;
}

export interface SqlPoolConnection extends SqlSession {
  release(): void;
  destroy(): void;
}

export interface SqlPool extends SqlSession {
  getConnection(): Promise<SqlPoolConnection>;
  end(): Promise<void>;
}

/** Concatenates statements so they travel in one round trip. */
export function joinStatements(statements: readonly SqlStatement[]): SqlStatement {
  return {
    sql: statements.map((s) => s.sql).join(';\n'),
    params: statements.flatMap((s) => s.params),
  };
}

/** The result sets of a multi-statement query, one per statement. */
export function resultSets(raw: unknown, count: number): unknown[] {
  return count === 1 ? [raw] : (raw as unknown[]);
}

export const rowsOf = (result: unknown): SqlRow[] => (Array.isArray(result) ? (result as SqlRow[]) : []);
