import type { TableDef } from './table-def';

/**
 * At-most-once (schema version 3): the answer of each non-idempotent call,
 * keyed by the client's id and call id and written in the operation's own
 * transaction, so a client that retries on another namenode after the first
 * died gets the original answer instead of a spurious error.
 */
export const retryCache: TableDef = {
  name: 'retry_cache',
  columns: [
    { name: 'client_id', type: { kind: 'varbinary', length: 16 } },
    { name: 'call_id', type: { kind: 'int' } },
    { name: 'method', type: { kind: 'varchar', length: 64 } },
    /** The operation's result as JSON; NULL only inside the operation's own transaction. */
    { name: 'response', type: { kind: 'varbinary', length: 8000 }, nullable: true },
    { name: 'expires_at', type: { kind: 'bigint' } },
  ],
  primaryKey: ['client_id', 'call_id'],
  indexes: [{ name: 'retry_cache_expiry', columns: ['expires_at'] }],
  partitionBy: ['client_id'],
};

export const tablesV3: readonly TableDef[] = [retryCache];
