import { createHash } from 'node:crypto';
import { SchemaLockTimeoutError } from './schema-errors';
import { mysqlErrno, selectRows, type Row, type SqlConnection } from './sql-connection';

/** ER_NOT_SUPPORTED_YET: what Galera answers to GET_LOCK while wsrep is on. */
const ER_NOT_SUPPORTED_YET = 1235;
/** MySQL caps user-lock names at 64 characters. */
const MAX_LOCK_NAME = 64;

/**
 * Runs `fn` holding a server-wide named lock for `database`'s schema, so two
 * processes migrating or formatting the same database take turns. The lock is
 * per database: test databases on one server migrate in parallel.
 *
 * GET_LOCK is local to one SQL server. Where it cannot exclude everyone (NDB
 * with several SQL nodes) or is refused (Galera), correctness rests on the
 * migrations being idempotent and on versions being recorded idempotently;
 * the lock only spares the work and the noise.
 */
export async function withSchemaLock<T>(
  conn: SqlConnection,
  database: string,
  timeoutSeconds: number,
  fn: () => Promise<T>,
): Promise<T> {
  const name = schemaLockName(database);
  const locked = await acquire(conn, name, timeoutSeconds);
  try {
    return await fn();
  } finally {
    if (locked) await conn.query('SELECT RELEASE_LOCK(?)', [name]);
  }
}

export function schemaLockName(database: string): string {
  const name = `nnfleet-schema:${database}`;
  if (name.length <= MAX_LOCK_NAME) return name;
  const digest = createHash('sha256').update(database).digest('hex');
  return `nnfleet-schema:${digest.slice(0, MAX_LOCK_NAME - 'nnfleet-schema:'.length)}`;
}

/** True when the lock is held; false when the server cannot lock (Galera). */
async function acquire(conn: SqlConnection, name: string, timeoutSeconds: number): Promise<boolean> {
  let rows: Row[];
  try {
    rows = await selectRows(conn, 'SELECT GET_LOCK(?, ?) AS got', [name, timeoutSeconds]);
  } catch (err) {
    if (mysqlErrno(err) === ER_NOT_SUPPORTED_YET) return false;
    throw err;
  }
  // 1 = taken, 0 = timed out, NULL = error (e.g. killed while waiting).
  if (Number(rows[0]?.['got']) !== 1) throw new SchemaLockTimeoutError(name, timeoutSeconds);
  return true;
}
