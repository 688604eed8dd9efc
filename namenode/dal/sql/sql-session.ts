/**
 * The narrow slice of mysql2/promise the data access layer needs: easy to
 * fake in unit tests, easy to swap for another MySQL-protocol driver.
 */
export type SqlParam = string | number | bigint | Buffer | null;

export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly SqlParam[];
  /**
   * Sent alone (an autocommit read), it goes as a server-side prepared
   * statement (sql-db.ts): its text is one of few (sql-values.ts
   * preparedKeys), and its parameters only numbers, strings, Buffers, null.
   */
  readonly prepared?: boolean;
}

export interface SqlResultHeader {
  readonly affectedRows: number;
  readonly insertId: number;
}

export type SqlRow = Record<string, unknown>;

/** One connection; `query` may carry several `;`-separated statements; `execute` one prepared statement (cached per connection by the driver). */
export interface SqlSession {
  query(sql: string, params?: readonly SqlParam[]): Promise<[unknown, unknown]>;
  execute?(sql: string, params: readonly SqlParam[]): Promise<[unknown, unknown]>;
}

export interface SqlPoolConnection extends SqlSession {
  release(): void;
  destroy(): void;
}

export interface SqlPool extends SqlSession {
  getConnection(): Promise<SqlPoolConnection>;
  end(): Promise<void>;
}

/** The characters a quoted MySQL string literal escapes with a backslash (the driver's own set). */
const NEEDS_ESCAPE = /[\0\b\t\n\r\x1a"'\\]/;
const ESCAPABLE = /[\0\b\t\n\r\x1a"'\\]/g;
const ESCAPES: Readonly<Record<string, string>> = { '\0': '\\0', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z', '"': '\\"', "'": "\\'", '\\': '\\\\' };

/** A parameter as the SQL literal mysql2's client-side formatting writes for it (strings quoted and backslash-escaped, bytes as X'hex'). */
export function sqlLiteral(p: SqlParam | undefined): string {
  if (p === null || p === undefined) return 'NULL';
  switch (typeof p) {
    case 'number':
    case 'bigint':
      return `${p}`;
    case 'string':
      return NEEDS_ESCAPE.test(p) ? `'${p.replace(ESCAPABLE, (c) => ESCAPES[c] as string)}'` : `'${p}'`;
    default:
      // A value the typings let through (a protobufjs Long, a boolean) would otherwise be written as garbage.
      if (!Buffer.isBuffer(p)) throw new TypeError(`a SQL parameter of type ${typeof p} (${(p as object)?.constructor?.name}): only strings, numbers, bigints, Buffers and null are sent`);
      return `X'${p.toString('hex')}'`;
  }
}

/**
 * Concatenates statements so they travel in one round trip, each `?`
 * replaced by its parameter's literal: what mysql2's `query(sql, params)`
 * sends, without its character-by-character scan of the whole text for
 * placeholders, quotes and comments (3-4 % of a namenode's busy time under
 * create). The data access layer writes no `?` but placeholders (no SQL
 * literal or comment holds one), so splitting at `?` finds exactly them;
 * a count that does not match the parameters is a bug, refused.
 */
export function joinStatements(statements: readonly SqlStatement[]): string {
  let out = '';
  for (let i = 0; i < statements.length; i++) {
    const { sql, params } = statements[i] as SqlStatement;
    if (i > 0) out += ';\n';
    if (params.length === 0 && !sql.includes('?')) {
      out += sql;
      continue;
    }
    const parts = sql.split('?');
    if (parts.length !== params.length + 1) throw new Error(`a statement with ${parts.length - 1} placeholders got ${params.length} parameters: ${sql.slice(0, 120)}`);
    out += parts[0] as string;
    for (let j = 0; j < params.length; j++) out += sqlLiteral(params[j]) + (parts[j + 1] as string);
  }
  return out;
}

/** The result sets of a multi-statement query, one per statement. */
export function resultSets(raw: unknown, count: number): unknown[] {
  return count === 1 ? [raw] : (raw as unknown[]);
}

export const rowsOf = (result: unknown): SqlRow[] => (Array.isArray(result) ? (result as SqlRow[]) : []);
