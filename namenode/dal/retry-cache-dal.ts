import type { SqlStatement } from './sql-session';

/** A call as Hadoop IPC identifies it: the client's 16-byte id and its call id. */
export interface RetryKey {
  readonly clientId: Buffer;
  readonly callId: number;
  readonly method: string;
}

/**
 * Claims the call inside the operation's transaction. A concurrent retry of
 * the same call waits on this row and then fails with a duplicate key: its
 * cue to read the first one's answer.
 */
export const claimRetryEntry = (k: RetryKey, expiresAt: number): SqlStatement => ({
  sql: 'INSERT INTO retry_cache (client_id, call_id, method, response, expires_at) VALUES (?, ?, ?, NULL, ?)',
  params: [k.clientId, k.callId, k.method, expiresAt],
});

export const recordRetryResponse = (k: RetryKey, response: string): SqlStatement => ({
  sql: 'UPDATE retry_cache SET response = ? WHERE client_id = ? AND call_id = ?',
  params: [Buffer.from(response, 'utf8'), k.clientId, k.callId],
});

export const selectRetryResponse = (k: RetryKey): SqlStatement => ({
  sql: 'SELECT method, response FROM retry_cache WHERE client_id = ? AND call_id = ?',
  params: [k.clientId, k.callId],
});

export const deleteExpiredRetryEntries = (now: number, limit: number): SqlStatement => ({
  sql: 'DELETE FROM retry_cache WHERE expires_at < ? LIMIT ?',
  params: [now, limit],
});
