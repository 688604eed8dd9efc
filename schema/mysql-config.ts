import mysql from 'mysql2/promise';

/** Where the metadata database is and who we are there. */
export interface MysqlConfig {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** Unix socket; when set, host and port are not used to connect. */
  readonly socketPath?: string;
}

export interface PoolOptions {
  /** Default 16: measured enough to saturate a 2-core MariaDB. */
  readonly connectionLimit?: number;
  /**
   * Sent first on every new connection, before anything the pool's user
   * sends on it (mysql2 queues a connection's commands in order, and the
   * pool emits 'connection' before it hands the connection out).
   */
  readonly sessionSql?: string;
  /** Told when `sessionSql` fails on a connection (the connection is still handed out). */
  readonly onSessionSqlError?: (e: unknown) => void;
}

const DEFAULT_PORT = 3306;
const DEFAULT_CONNECTION_LIMIT = 16;
const PREPARED_PER_CONNECTION = 48;

/**
 * Parses `mysql://user:pass@host:port/db` (port optional, user and password
 * percent-encoded; `?socket=/path` selects a Unix socket).
 */
export function parseMysqlUrl(url: string): MysqlConfig {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`invalid MySQL URL ${JSON.stringify(url)}: expected mysql://user:pass@host:port/database`);
  }
  const shown = redact(parsed);
  if (parsed.protocol !== 'mysql:') {
    throw new Error(`invalid MySQL URL ${shown}: scheme must be mysql://, not ${parsed.protocol}//`);
  }
  if (parsed.hostname === '') throw new Error(`invalid MySQL URL ${shown}: no host`);
  if (parsed.username === '') throw new Error(`invalid MySQL URL ${shown}: no user`);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) {
    throw new Error(`invalid MySQL URL ${shown}: the path must be exactly one database name`);
  }
  const port = parsed.port === '' ? DEFAULT_PORT : Number(parsed.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid MySQL URL ${shown}: bad port`);
  const socketPath = parsed.searchParams.get('socket') ?? undefined;
  return {
    // URL keeps the brackets of an IPv6 literal; the driver wants the address.
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database,
    ...(socketPath ? { socketPath } : {}),
  };
}

/**
 * A mysql2 promise pool for the namespace.
 *
 * - `supportBigNumbers` without `bigNumberStrings`: BIGINTs come back as
 *   numbers while exact (all ids in practice), and as decimal strings above
 *   2^53 instead of silently losing precision. Readers that must accept any
 *   BIGINT convert with `BigInt(value)`, which takes both.
 * - `multipleStatements`: the transaction layer sends several statements in
 *   one round trip. It widens what an injected string could do, which is why
 *   every value goes through placeholders.
 * - `dateStrings` and `timezone: 'Z'`: times are epoch-ms BIGINTs; any
 *   DATETIME a diagnostic query returns stays the server's text, never shifted
 *   by this process's time zone.
 * - `charset` utf8mb4_bin, matching the tables, so comparisons of
 *   literals are byte-exact.
 * - `trace: false`: mysql2 otherwise captures a stack trace
 *   (Error.captureStackTrace) on every query so that a failed query's error
 *   shows its caller; that was ~3-4% of a namenode's busy time under the
 *   Spotify mix. Errors keep their code, errno and message, which is all
 *   the data access layer classifies and logs.
 * - `queryFormat`: a query sent without parameters goes as it is. mysql2's
 *   own formatting scans the text for a first placeholder (quotes and
 *   comments skipped character by character) even when there is no
 *   parameter to put in; the namenode's data access layer sends its
 *   statements with their parameters already inlined (sql-session.ts
 *   joinStatements), often long and full of quoted literals. With
 *   parameters, mysql2's formatting as before.
 * - `maxPreparedStatements`: the prepared statements (the hot lookups,
 *   sql-db.ts executePrepared) each connection keeps; the least recently
 *   used beyond it is closed. Their texts are few (sql-values.ts
 *   preparedKeys: two lookups × 18 lengths); the server caps them across
 *   all its clients (max_prepared_stmt_count, 16382), so a fleet of 16
 *   namenodes × 16 connections stays below it.
 */
export function createMysqlPool(cfg: MysqlConfig, opts: PoolOptions = {}): mysql.Pool {
  const pool = mysql.createPool({
    ...driverOptions(cfg),
    connectionLimit: opts.connectionLimit ?? DEFAULT_CONNECTION_LIMIT,
    waitForConnections: true,
    enableKeepAlive: true,
  });
  const { sessionSql, onSessionSqlError } = opts;
  if (sessionSql !== undefined) {
    // The core connection (callback API): its query is queued ahead of the caller's.
    pool.on('connection', (conn) => {
      const core = conn as unknown as { query(sql: string, cb: (e: unknown) => void): void };
      core.query(sessionSql, (e) => {
        if (e) onSessionSqlError?.(e);
      });
    });
  }
  return pool;
}

/** One connection with the pool's settings: for the schema tools, which need a session. */
export function createMysqlConnection(cfg: MysqlConfig): Promise<mysql.Connection> {
  return mysql.createConnection(driverOptions(cfg));
}

function driverOptions(cfg: MysqlConfig): mysql.ConnectionOptions {
  return {
    ...(cfg.socketPath ? { socketPath: cfg.socketPath } : { host: cfg.host, port: cfg.port }),
    user: cfg.user,
    password: cfg.password,
    // An empty name connects to no database (to create one, for instance).
    ...(cfg.database ? { database: cfg.database } : {}),
    supportBigNumbers: true,
    bigNumberStrings: false,
    multipleStatements: true,
    dateStrings: true,
    timezone: 'Z',
    charset: 'UTF8MB4_BIN',
    trace: false,
    queryFormat: formatUnlessBare,
    maxPreparedStatements: PREPARED_PER_CONNECTION,
  };
}

/** mysql2's formatting (as its connections call it: `this` is the connection), skipped for a query without parameters. */
function formatUnlessBare(this: { config: { stringifyObjects?: boolean } }, sql: string, values: unknown, timezone?: string): string {
  if (values === undefined || values === null || (Array.isArray(values) && values.length === 0)) return sql;
  return mysql.format(sql, values as Parameters<typeof mysql.format>[1], this.config.stringifyObjects ?? false, timezone as Parameters<typeof mysql.format>[3]);
}

function redact(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}
