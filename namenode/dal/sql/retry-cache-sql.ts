import type { RetryCacheRepository } from '../retry-cache-repository';
import { sqlMutation, sqlQuery, sqlRowsMutation } from '../query';
import { firstRow, text } from './sql-values';

export const sqlRetryCache: RetryCacheRepository = {
  claim: (k, expiresAt) =>
    sqlQuery(
      { sql: 'INSERT INTO retry_cache (client_id, call_id, method, response, expires_at) VALUES (?, ?, ?, NULL, ?)', params: [k.clientId, k.callId, k.method, expiresAt] },
      () => undefined,
    ),
  // The claim made the row: an upsert that updates it, and joins other calls' answers in one statement.
  recordResponse: (k, response, expiresAt) =>
    sqlRowsMutation(
      {
        into: 'retry_cache',
        head: 'INSERT INTO retry_cache (client_id, call_id, method, response, expires_at) VALUES ',
        rows: '(?, ?, ?, ?, ?)',
        separator: ',',
        tail: ' ON DUPLICATE KEY UPDATE response = VALUES(response)',
      },
      [k.clientId, k.callId, k.method, Buffer.from(response, 'utf8'), expiresAt],
    ),
  // Rows of a group's members join in one statement.
  record: (k, response, expiresAt) =>
    sqlRowsMutation(
      { into: 'retry_cache', head: 'INSERT INTO retry_cache (client_id, call_id, method, response, expires_at) VALUES ', rows: '(?, ?, ?, ?, ?)', separator: ',', tail: '' },
      [k.clientId, k.callId, k.method, Buffer.from(response, 'utf8'), expiresAt],
    ),
  findEntry: (k) =>
    sqlQuery({ sql: 'SELECT method, response FROM retry_cache WHERE client_id = ? AND call_id = ?', params: [k.clientId, k.callId] }, (r) => {
      const row = firstRow(r);
      if (!row) return undefined;
      const response = row['response'];
      return { method: text(row['method']), response: Buffer.isBuffer(response) ? response.toString('utf8') : undefined };
    }),
  deleteExpired: (now, limit) => sqlMutation({ sql: 'DELETE FROM retry_cache WHERE expires_at < ? LIMIT ?', params: [now, limit] }),
};
