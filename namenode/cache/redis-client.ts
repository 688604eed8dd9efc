import { Redis, type RedisOptions } from 'ioredis';
import type { RedisEndpoint } from './redis-coherence';

/**
 * An ioredis connection to the fleet's Redis (a URL, or the master that
 * Sentinel names), not yet connected (`lazyConnect`), retrying every
 * `retryMs` while Redis is away. `extra` are further ioredis options.
 */
export function redisClient(endpoint: RedisEndpoint, retryMs: number, extra: RedisOptions = {}): Redis {
  const common: RedisOptions = {
    lazyConnect: true,
    retryStrategy: () => retryMs,
    ...(endpoint.sentinels ? { sentinels: [...endpoint.sentinels], name: endpoint.sentinelName ?? 'mymaster' } : {}),
    ...extra,
  };
  return endpoint.sentinels ? new Redis(common) : new Redis(endpoint.url ?? 'redis://127.0.0.1:6379', common);
}
