/**
 * Database errors, classified once. Transient ones (deadlock, lock wait
 * timeout, Galera certification failure or a node that left the primary
 * component) are retried by the transaction runner; a lost connection is
 * retried too, on a fresh connection; the rest surface.
 */
export type DbErrorClass = 'transient' | 'connection' | 'duplicate' | 'guard' | 'other';

const TRANSIENT_ERRNOS = new Set([
  1213, // ER_LOCK_DEADLOCK (also Galera certification conflicts at COMMIT)
  1205, // ER_LOCK_WAIT_TIMEOUT
  1047, // ER_UNKNOWN_COM_ERROR: Galera node not in the primary component
  1180, // ER_ERROR_DURING_COMMIT
  4031, // ER_CLIENT_INTERACTION_TIMEOUT
]);

const CONNECTION_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);

export function classifyDbError(e: unknown): DbErrorClass {
  if (typeof e !== 'object' || e === null) return 'other';
  const { errno, code, fatal } = e as { errno?: number; code?: string; fatal?: boolean };
  if (errno !== undefined && TRANSIENT_ERRNOS.has(errno)) return 'transient';
  if (errno === 1062) return 'duplicate';
  // ER_BAD_NULL_ERROR: a guarded statement (a quota stripe's allowance, a busy directory's item
  // limit) refused in the database; the operation runs again on its exact, locking path.
  if (errno === 1048) return 'guard';
  // ER_SUBQUERY_NO_1_ROW: a mutation's guard statement (query.ts SqlMutation.guard) refused, e.g. a
  // touch of a directory that matched no row because the directory was deleted meanwhile.
  if (errno === 1242) return 'guard';
  if ((code !== undefined && CONNECTION_CODES.has(code)) || fatal === true) return 'connection';
  return 'other';
}

/** A locking read with NOWAIT found a row another transaction holds locked (MariaDB answers ER_LOCK_WAIT_TIMEOUT at once). */
export function isLockNotGranted(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { errno?: number }).errno === 1205;
}
