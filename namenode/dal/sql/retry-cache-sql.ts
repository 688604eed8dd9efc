import type { RetryCacheRepository } from '../retry-cache-repository';
import type { RetryKey } from '../../domain/retry-key';
import { rowShape, sqlMutation, sqlQuery, sqlRowsMutation, type Mutation } from '../query';
import { firstRow, text } from './sql-values';

/** A call's row with its answer, as a multi-row INSERT that others of its shape join; `tail` says what a row already there does. */
const answerRow = (tail: string): ((k: RetryKey, response: string, expiresAt: number) => Mutation) => {
  const parts = rowShape({ into: 'retry_cache', head: 'INSERT INTO retry_cache (client_id, call_id, method, response, expires_at) VALUES ', rows: '(?, ?, ?, ?, ?)', separator: ',', tail });
  return (k, response, expiresAt) =>
    sqlRowsMutation(
      parts,
      [k.clientId, k.callId, k.method, Buffer.from(response, 'utf8'), expiresAt],
    );
};

export const sqlRetryCache: RetryCacheRepository = {
  claim: (k, expiresAt) =>
    sqlQuery(
      { sql: 'INSERT INTO retry_cache (client_id, call_id, method, response, expires_at) VALUES (?, ?, ?, NULL, ?)', params: [k.clientId, k.callId, k.method, expiresAt] },
      () => undefined,
    ),
  // The claim made the row: an upsert that updates it, and joins other calls' answers in one statement.
  recordResponse: answerRow(' ON DUPLICATE KEY UPDATE response = VALUES(response)'),
  // Rows of a group's members join in one statement.
  record: answerRow(''),
  findEntry: (k) =>
    sqlQuery({ sql: 'SELECT method, response FROM retry_cache WHERE client_id = ? AND call_id = ?', params: [k.clientId, k.callId] }, (r) => {
      const row = firstRow(r);
      if (!row) return undefined;
      const response = row['response'];
      return { method: text(row['method']), response: Buffer.isBuffer(response) ? response.toString('utf8') : undefined };
    }),
  deleteExpired: (now, limit) => sqlMutation({ sql: 'DELETE FROM retry_cache WHERE expires_at < ? LIMIT ?', params: [now, limit] }),
};
