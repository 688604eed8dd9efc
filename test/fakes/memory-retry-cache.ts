import type { RetryCacheRepository } from '../../namenode/dal/retry-cache-repository';
import type { RetryKey } from '../../namenode/domain/retry-key';
import { compositeKey } from './memory-table';
import { deleteWhere, insertRow, localMutation, localQuery, updateWhere, writingQuery } from './local-statements';
import type { MemoryTables } from './memory-tables';

export function memoryRetryCache(t: MemoryTables): RetryCacheRepository {
  const table = t.retryCache;
  const keyOf = (k: RetryKey) => compositeKey(k.clientId.toString('hex'), k.callId);
  return {
    /** An INSERT run as a query: a second claim of one call fails with errno 1062; a rolled-back transaction takes its claim back. */
    claim: (k, expiresAt) =>
      writingQuery(t, (log) => {
        insertRow(table, { clientId: Buffer.from(k.clientId), callId: k.callId, method: k.method, response: null, expiresAt }, log);
      }),
    recordResponse: (k, response) => localMutation((log) => updateWhere(table, (r) => table.keyOf(r) === keyOf(k), (r) => ({ ...r, response }), log)),
    /** A plain INSERT: a row already there (an earlier or concurrent attempt) fails with errno 1062. */
    record: (k, response, expiresAt) =>
      localMutation((log) => insertRow(table, { clientId: Buffer.from(k.clientId), callId: k.callId, method: k.method, response, expiresAt }, log)),
    findEntry: (k) =>
      localQuery(() => {
        const row = table.get(keyOf(k));
        return row ? { method: row.method, response: row.response ?? undefined } : undefined;
      }),
    deleteExpired: (now, limit) => localMutation((log) => deleteWhere(table, (r) => r.expiresAt < now, log, limit)),
  };
}
