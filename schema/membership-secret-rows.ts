import { randomBytes } from 'node:crypto';
import { selectRows, type SqlConnection } from './sql-connection';

const SECRET_BYTES = 32;

/**
 * The fleet's membership secret, made once: a second format, or one racing
 * this one, keeps the row that is there (INSERT IGNORE), so every copy of the
 * key file a fleet hands out stays valid.
 */
export async function ensureMembershipSecret(conn: SqlConnection, now = Date.now()): Promise<Buffer> {
  await conn.query('INSERT IGNORE INTO membership_secret (id, secret, created_at) VALUES (1, ?, ?)', [randomBytes(SECRET_BYTES), now]);
  const [row] = await selectRows(conn, 'SELECT secret FROM membership_secret WHERE id = 1');
  const secret = row?.['secret'];
  if (!Buffer.isBuffer(secret) || secret.length === 0) throw new Error('membership_secret has no secret after format');
  return secret;
}
