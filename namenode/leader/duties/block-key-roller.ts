import { randomBytes, randomInt } from 'node:crypto';
import { keysToAdd } from '../../domain/block-key';
import type { OpContext } from '../../tx/op-context';

/**
 * Makes the next block access token key an interval before it is needed and
 * deletes expired ones. Returns how many keys were made.
 */
export async function rollBlockKeys(ctx: OpContext, now: number): Promise<number> {
  const { config } = ctx;
  if (!config.blockAccessTokens) return 0;
  const security = ctx.dal.security;
  const keys = await ctx.runner.query('rollBlockKeys', security.findBlockKeys());
  const times = { updateIntervalMs: config.blockKeyUpdateIntervalMs, tokenLifetimeMs: config.blockTokenLifetimeMs };
  const add = keysToAdd(keys, now, times, newKeyMaterial);
  await ctx.runner.mutate('rollBlockKeys', [security.deleteBlockKeysExpiredBefore(now), ...add.map((k) => security.insertBlockKey(k))]);
  return add.length;
}

/** Key ids are random so two namenodes that both believe they lead never collide in practice (and a collision only fails that insert). */
export const newKeyMaterial = (): { keyId: number; secret: Buffer } => ({ keyId: randomInt(1, 2 ** 31 - 1), secret: randomBytes(64) });
