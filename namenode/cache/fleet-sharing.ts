import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { NamesystemConfig } from '../namesystem-config';
import { redisEndpointOf } from './from-config';
import { redisClient } from './redis-client';
import { ReplicaNotices } from './replica-notices';
import { SharedHintCache, type LocalHints } from './shared-hint-cache';

/** The complete/addBlock waiters (namenode/tx/replica-waiters.ts) as far as notices concern them. */
export interface NoticedWaiters {
  tellFleet(publish: (inodeIds: readonly number[]) => void): void;
  noticed(inodeIds: readonly number[]): void;
}

/** Shared-hint writes queued for one flush at most. */
const MAX_PENDING_HINT_WRITES = 10_000;

/**
 * What a namenode shares with the fleet through Redis besides the coherent
 * cache's invalidations: "replica arrived" notices and path hints, on one
 * command connection (and the notices' subscriber). Neither is needed for
 * a correct answer, so both simply pause while Redis is away.
 */
export class FleetSharing {
  readonly #redis: Redis;
  readonly notices: ReplicaNotices | undefined;
  readonly hints: SharedHintCache | undefined;
  #waiters: NoticedWaiters | undefined;

  constructor(c: NamesystemConfig, redis: Redis, localHints: LocalHints, logger: Logger) {
    const endpoint = redisEndpointOf(c);
    this.#redis = redis;
    this.notices =
      c.replicaNotices && endpoint
        ? new ReplicaNotices({ endpoint, publisher: redis, prefix: c.cacheRedisPrefix, logger, onArrived: (ids) => this.#waiters?.noticed(ids) })
        : undefined;
    this.hints = c.sharedHints
      ? new SharedHintCache(localHints, { redis, prefix: c.cacheRedisPrefix, ttlMs: c.sharedHintTtlMs, maxPending: MAX_PENDING_HINT_WRITES, logger })
      : undefined;
  }

  async start(): Promise<void> {
    await Promise.all([this.#redis.connect().catch(() => undefined), this.notices?.start()]);
  }

  /** Reports committed here are told to the fleet; the fleet's notices wake the waiters here. */
  attach(waiters: NoticedWaiters): void {
    this.#waiters = waiters;
    const notices = this.notices;
    if (notices) waiters.tellFleet((ids) => notices.arrived(ids));
  }

  stop(): void {
    this.notices?.stop();
    this.#redis.disconnect();
  }
}

/**
 * The fleet sharing the configuration asks for, not yet started; undefined
 * without Redis or with both parts off. `localHints` is this namenode's own
 * hint cache, which the shared hints stand in front of.
 */
export function fleetSharingFor(c: NamesystemConfig, localHints: LocalHints, logger: Logger): FleetSharing | undefined {
  const endpoint = redisEndpointOf(c);
  if (!endpoint || (!c.replicaNotices && !c.sharedHints)) return undefined;
  const redis = redisClient(endpoint, 500, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 200 });
  redis.on('error', (e: Error) => logger.debug({ err: e.message }, 'fleet sharing redis'));
  return new FleetSharing(c, redis, localHints, logger);
}
