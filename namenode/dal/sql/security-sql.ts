import type { BlockKeyRecord } from '../../domain/block-key';
import { sqlMutation, sqlQuery } from '../query';
import type { SecurityRepository } from '../security-repository';
import { firstRow, num, rowsWith } from './sql-values';

const blockKeys = rowsWith(
  (r): BlockKeyRecord => ({ keyId: num(r['key_id']), activatesAt: num(r['activates_at']), expiresAt: num(r['expires_at']), secret: r['secret'] as Buffer }),
);

export const sqlSecurity: SecurityRepository = {
  findMembershipSecret: () =>
    sqlQuery({ sql: 'SELECT secret FROM membership_secret WHERE id = 1', params: [] }, (result) => {
      const secret = firstRow(result)?.['secret'];
      return Buffer.isBuffer(secret) && secret.length > 0 ? secret : undefined;
    }),
  findBlockKeys: () => sqlQuery({ sql: 'SELECT key_id, activates_at, expires_at, secret FROM block_keys ORDER BY activates_at', params: [] }, blockKeys),
  insertBlockKey: (k) =>
    sqlMutation({ sql: 'INSERT INTO block_keys (key_id, activates_at, expires_at, secret) VALUES (?, ?, ?, ?)', params: [k.keyId, k.activatesAt, k.expiresAt, k.secret] }),
  deleteBlockKeysExpiredBefore: (epochMs) => sqlMutation({ sql: 'DELETE FROM block_keys WHERE expires_at < ?', params: [epochMs] }),
};
