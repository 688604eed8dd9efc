/** A block access token key as the fleet keeps it (a `block_keys` row). */
export interface BlockKeyRecord {
  readonly keyId: number;
  /** Epoch ms from which namenodes sign with it. */
  readonly activatesAt: number;
  /** Epoch ms after which it verifies nothing. */
  readonly expiresAt: number;
  readonly secret: Buffer;
}

export interface BlockKeyTimes {
  /** dfs.block.access.key.update.interval, ms. */
  readonly updateIntervalMs: number;
  /** dfs.block.access.token.lifetime, ms. */
  readonly tokenLifetimeMs: number;
}

/**
 * The key namenodes sign with at `now`: the newest active one whose
 * tokens will still verify at their own expiry.
 */
export function signingKey(keys: readonly BlockKeyRecord[], now: number, t: BlockKeyTimes): BlockKeyRecord | undefined {
  let best: BlockKeyRecord | undefined;
  for (const k of keys) {
    if (k.activatesAt <= now && k.expiresAt >= now + t.tokenLifetimeMs && (!best || k.activatesAt > best.activatesAt)) best = k;
  }
  return best;
}

/**
 * The one rolling rule (Hadoop's BlockTokenSecretManager, with rows): there
 * is always a key to sign with and a next one, made an interval before it
 * activates so every datanode holds it before any token names it. A key
 * verifies for two intervals plus a token lifetime after it activates.
 * Answers the keys to insert; `make` supplies a fresh id and secret.
 */
export function keysToAdd(keys: readonly BlockKeyRecord[], now: number, t: BlockKeyTimes, make: () => { keyId: number; secret: Buffer }): BlockKeyRecord[] {
  const add: BlockKeyRecord[] = [];
  const key = (activatesAt: number): BlockKeyRecord => ({ ...make(), activatesAt, expiresAt: activatesAt + 2 * t.updateIntervalMs + t.tokenLifetimeMs });
  const current = signingKey(keys, now, t);
  if (!current || current.expiresAt < now + t.updateIntervalMs + t.tokenLifetimeMs) add.push(key(now));
  if (!keys.some((k) => k.activatesAt > now)) add.push(key(now + t.updateIntervalMs));
  return add;
}
