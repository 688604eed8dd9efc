import { maxListingEntries } from '../dal/cached-listing';
import type { Logger } from 'pino';
import type { NamesystemConfig } from '../namesystem-config';
import { CoherentRows } from './coherent-rows';
import type { RedisEndpoint } from './redis-coherence';

/** Where the configuration says Redis is; undefined when the cache is off (no Redis configured). */
export function redisEndpointOf(c: NamesystemConfig): RedisEndpoint | undefined {
  if (c.redisSentinels !== '') {
    const sentinels = c.redisSentinels.split(',').map((hp) => {
      const at = hp.lastIndexOf(':');
      return { host: hp.slice(0, at), port: Number(hp.slice(at + 1)) };
    });
    return { sentinels, sentinelName: c.redisSentinelName };
  }
  return c.redisUrl !== '' ? { url: c.redisUrl } : undefined;
}

/** The coherent inode cache the configuration asks for, not yet started; undefined without Redis. `fence`: namenode/tx/write-fence.ts. */
export function coherentRowsFor(c: NamesystemConfig, logger: Logger, fence?: () => Promise<void>): CoherentRows | undefined {
  const endpoint = redisEndpointOf(c);
  if (!endpoint) return undefined;
  return new CoherentRows({
    endpoint,
    prefix: c.cacheRedisPrefix,
    maxBytes: c.inodeCacheBytes,
    leaseMs: c.cacheLeaseMs,
    marginMs: c.cacheLeaseMarginMs,
    coherent: c.cacheCoherenceForTests !== 'off',
    logger,
    fence,
    maxListingEntries: maxListingEntries(c.listingLimit),
  });
}
