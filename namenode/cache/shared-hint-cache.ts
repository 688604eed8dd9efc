import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** Counters of the fleet's shared hints, on /metrics. */
export class SharedHintMetrics {
  /** Paths this namenode missed and Redis answered. */
  hits = 0;
  /** Paths this namenode missed and Redis did not know either. */
  misses = 0;
  /** MGETs sent (one per resolution with a local miss). */
  lookups = 0;
  /** Hints and deletions written (pipelined once per event-loop turn). */
  writes = 0;
  /** Redis commands that failed (the hints were then this namenode's own only). */
  failures = 0;
  /** Writes not queued: the queue was full. */
  dropped = 0;
}

export interface SharedHintOptions {
  /** The namenode's connection to the fleet's Redis (no offline queue: a lookup fails fast while it is away). */
  readonly redis: Redis;
  /** Keys are `<prefix>hint:<path>`. */
  readonly prefix: string;
  /** Every shared hint expires this long after it was last written. */
  readonly ttlMs: number;
  /** Writes waiting for the next flush, at most. */
  readonly maxPending: number;
  readonly logger: Logger;
}

/**
 * This namenode's own hints (namenode/tx/hint-cache.ts), as far as they are
 * used here; the shape of the resolver's MetadataCache, which this class
 * also has (the cache layer does not import the transaction layer).
 */
export interface LocalHints {
  getBatch(paths: readonly string[]): Promise<readonly (number | undefined)[]>;
  peek(path: string): number | undefined;
  set(path: string, inodeId: number): void;
  invalidate(paths: readonly string[]): void;
  readonly stats: { readonly entries: number; readonly hits: number; readonly misses: number };
}

const parseId = (v: string | null | undefined): number | undefined => {
  if (v === null || v === undefined) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

/**
 * Path → inode id hints shared by the fleet through Redis (issue 14 point
 * 3), in front of this namenode's own LRU: a path this namenode does not
 * know is asked of Redis (one MGET for every unknown prefix of a
 * resolution), so a freshly started namenode resolves a deep path in one
 * batched lookup instead of one per level. Only directories are shared
 * (only they prefix other paths), each key with a TTL: Redis holds at most
 * the directories resolved within one TTL, and a Redis with `maxmemory`
 * and `volatile-lru` may evict them (they are its only keys with a TTL).
 * A hint is never trusted: the resolver checks each one against the rows
 * it reads (`resolvePath`), and a wrong one, from Redis or not, costs one
 * fallback and is deleted here and in Redis.
 */
export class SharedHintCache {
  readonly metrics = new SharedHintMetrics();
  readonly #local: LocalHints;
  readonly #o: SharedHintOptions;
  readonly #keyPrefix: string;
  /** Path → id to write, or undefined to delete; the last word of a turn wins. */
  #pending = new Map<string, number | undefined>();
  #flushQueued = false;

  constructor(local: LocalHints, o: SharedHintOptions) {
    this.#local = local;
    this.#o = o;
    this.#keyPrefix = `${o.prefix}hint:`;
  }

  async getBatch(paths: readonly string[]): Promise<readonly (number | undefined)[]> {
    const own = await this.#local.getBatch(paths);
    // The resolver uses hints up to the first gap: Redis is asked from there on.
    const first = own.indexOf(undefined);
    if (first < 0 || this.#o.redis.status !== 'ready') return own;
    const asked = paths.slice(first);
    let remote: (string | null)[];
    try {
      this.metrics.lookups++;
      remote = await this.#o.redis.mget(asked.map((p) => this.#keyPrefix + p));
    } catch (e) {
      this.metrics.failures++;
      this.#o.logger.debug({ err: (e as Error).message }, 'shared hints: lookup failed');
      return own;
    }
    const out = [...own];
    asked.forEach((path, i) => {
      if (out[first + i] !== undefined) return;
      const id = parseId(remote[i]);
      if (id === undefined) {
        this.metrics.misses++;
        return;
      }
      this.metrics.hits++;
      out[first + i] = id;
      // Kept here too: the resolver's confirmation then finds it and writes nothing back.
      this.#local.set(path, id);
    });
    return out;
  }

  set(path: string, inodeId: number, directory?: boolean): void {
    if (directory === true && this.#local.peek(path) !== inodeId) this.#queue(path, inodeId);
    this.#local.set(path, inodeId);
  }

  invalidate(paths: readonly string[]): void {
    this.#local.invalidate(paths);
    for (const p of paths) this.#queue(p, undefined);
  }

  get stats(): LocalHints['stats'] {
    return this.#local.stats;
  }

  #queue(path: string, id: number | undefined): void {
    if (this.#o.redis.status !== 'ready') return;
    if (this.#pending.size >= this.#o.maxPending && !this.#pending.has(path)) {
      this.metrics.dropped++;
      return;
    }
    this.#pending.set(path, id);
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    this.#flushQueued = false;
    const batch = this.#pending;
    this.#pending = new Map();
    const pipeline = this.#o.redis.pipeline();
    for (const [path, id] of batch) {
      if (id === undefined) pipeline.del(this.#keyPrefix + path);
      else pipeline.set(this.#keyPrefix + path, String(id), 'PX', this.#o.ttlMs);
    }
    try {
      const results = (await pipeline.exec()) ?? [];
      const failed = results.filter(([err]) => err !== null).length;
      this.metrics.writes += results.length - failed;
      this.metrics.failures += failed;
    } catch (e) {
      this.metrics.failures++;
      this.#o.logger.debug({ err: (e as Error).message }, 'shared hints: write failed');
    }
  }
}
