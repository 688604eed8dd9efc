import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { CacheMetrics } from './cache-metrics';

/**
 * Drops expired holders, extends ARGV[1]'s lease by ARGV[2] ms (Redis's
 * clock) and answers: 1 when its lease was still alive (else 0), Redis's
 * time, then every other live holder with its remaining ms, flat. When the
 * caller holds no lease (ARGV[5] = 1) or its lease had expired here, this
 * is a join: the other holders are sent a join message (ARGV[4] followed
 * by Redis's time) on their channel ARGV[3] .. holder, in the same step.
 * Last, the caller's own channel gets ARGV[6], its renewal mark: once the
 * caller's subscriber has read the mark, it has read every invalidation
 * published to it before this renewal (one connection, in order).
 */
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local prev = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
local continued = 0
if prev and tonumber(prev) > now then continued = 1 end
local out = {continued, now}
local held = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf', 'WITHSCORES')
for i = 1, #held, 2 do
  if held[i] ~= ARGV[1] then
    if ARGV[5] == '1' or continued == 0 then redis.call('PUBLISH', ARGV[3] .. held[i], ARGV[4] .. now .. '}') end
    out[#out + 1] = held[i]
    out[#out + 1] = tostring(tonumber(held[i + 1]) - now)
  end
end
redis.call('PUBLISH', ARGV[3] .. ARGV[1], ARGV[6])
return out`;

/**
 * Publishes ARGV[2] on channel ARGV[1] .. holder for every live holder but
 * the sender ARGV[3] (the sender's own cache is already done: no echo to
 * receive and ignore); answers those holders, each with its remaining ms, flat.
 */
const PUBLISH = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local held = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf', 'WITHSCORES')
local out = {}
for i = 1, #held, 2 do
  if held[i] ~= ARGV[3] then
    redis.call('PUBLISH', ARGV[1] .. held[i], ARGV[2])
    out[#out + 1] = held[i]
    out[#out + 1] = tostring(tonumber(held[i + 1]) - now)
  end
end
return out`;

const RELEASE = `redis.call('ZREM', KEYS[1], ARGV[1]) return 1`;

export interface RedisEndpoint {
  /** redis://host:port */
  readonly url?: string;
  /** Sentinels to ask for the master `sentinelName`. */
  readonly sentinels?: readonly { host: string; port: number }[];
  readonly sentinelName?: string;
}

export interface RedisCoherenceOptions {
  readonly endpoint: RedisEndpoint;
  /** Key and channel prefix. */
  readonly prefix: string;
  readonly leaseMs: number;
  readonly marginMs: number;
  /** False only in the test that shows stale reads without coherence: writers neither publish nor wait. */
  readonly coherent: boolean;
  readonly metrics: CacheMetrics;
  readonly logger: Logger;
  /** Applies an invalidation to the local cache (synchronously, before the ack). */
  readonly onInvalidate: (tokens: readonly string[]) => void;
  /** The lease lapsed: drop everything (also called as a lease begins: reads begun before install nothing). */
  readonly onLapse: () => void;
  /**
   * Waits for every database transaction that share-locked the safe-mode
   * row before it (namenode/tx/write-fence.ts). Given, a join waits for
   * it before its lease counts, and this namenode's sole-holder writes may
   * send their statements and COMMIT in one round trip (README.md, *Sole
   * holder*); every namenode of a fleet must be configured alike.
   */
  readonly fence?: (() => Promise<void>) | undefined;
}

interface InvalidationMessage {
  readonly from: string;
  readonly seq: number;
  readonly tokens: readonly string[];
  /** A join (RENEW): Redis's time when `from` joined. */
  readonly at?: number;
  /** A renewal's mark on the renewer's own channel (RENEW): nothing to ack. */
  readonly mark?: 1;
}

/** A renewal waiting for its mark, or the mark that came before the renewal's answer. */
interface Mark {
  arrived: boolean;
  wake?: (arrived: boolean) => void;
}

/** The scripts, sent by SHA once a connection has loaded them (ioredis defineCommand). */
interface Scripts {
  nnfleetRenew(key: string, id: string, leaseMs: string, channelPrefix: string, joinMessage: string, join: '0' | '1', mark: string): Promise<unknown>;
  nnfleetPublish(key: string, channelPrefix: string, message: string, from: string): Promise<unknown>;
}

/** Tokens of the writes that asked to publish in one event-loop turn, and those writes. */
interface Outgoing {
  readonly tokens: Set<string>;
  readonly done: (() => void)[];
}

interface PendingAcks {
  readonly acked: Set<string>;
  onAck?: (by: string) => void;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The Redis side of the coherent cache (README.md): this namenode's cache
 * lease (renewed every third of a lease, held on its own monotonic clock),
 * invalidations published by its writers with the wait for acks or lease
 * expiry, and the acks it gives other namenodes' writers.
 */
export class RedisCoherence {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  readonly #o: RedisCoherenceOptions;
  readonly #cmd: Redis & Scripts;
  readonly #sub: Redis;
  readonly #leases: string;
  /** Invalidations for a holder go to this prefix followed by its id. */
  readonly #invalPrefix: string;
  readonly #inval: string;
  readonly #ackChannel: string;
  #leaseEnd = 0;
  #subscribed = false;
  #subGeneration = 0;
  #seq = 0;
  /** The renewal whose join is under way (its seq), if any: the lease counts once it is done. */
  #joining: number | undefined;
  /** Where the lease under way ends once the join is done (its renewal's, or a later one's while the member stayed alive). */
  #joinEnd = 0;
  /**
   * The other live holders this namenode knows of, each with the Redis time
   * of the latest evidence that it held a lease (a renewal's answer listing
   * it, or its join). Only a renewal's answer from a later Redis time that no
   * longer lists it removes one: never a timer, never an older answer.
   */
  readonly #others = new Map<string, number>();
  #outgoing: Outgoing | undefined;
  readonly #pending = new Map<number, PendingAcks>();
  /** Renewals by seq, until their mark was read by the subscriber (README.md, *Lease*). */
  readonly #marks = new Map<number, Mark>();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** When the command connection last became ready (monotonic ms): a new or failed-over Redis may not know every lease yet. */
  #cmdReadyAt = Number.POSITIVE_INFINITY;

  constructor(o: RedisCoherenceOptions) {
    this.#o = o;
    this.#leases = `${o.prefix}leases`;
    this.#invalPrefix = `${o.prefix}inval:`;
    this.#inval = `${this.#invalPrefix}${this.id}`;
    this.#ackChannel = `${o.prefix}ack:${this.id}`;
    const common: RedisOptions = {
      lazyConnect: true,
      retryStrategy: () => Math.max(50, Math.floor(o.leaseMs / 4)),
      ...(o.endpoint.sentinels ? { sentinels: [...o.endpoint.sentinels], name: o.endpoint.sentinelName ?? 'mymaster' } : {}),
    };
    const url = o.endpoint.sentinels ? undefined : (o.endpoint.url ?? 'redis://127.0.0.1:6379');
    const make = (extra: RedisOptions) => (url ? new Redis(url, { ...common, ...extra }) : new Redis({ ...common, ...extra }));
    // Commands fail fast while Redis is away: a writer then waits one lease instead of queueing.
    const cmd = make({ enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: Math.max(100, Math.floor(o.leaseMs / 2)) });
    cmd.defineCommand('nnfleetRenew', { numberOfKeys: 1, lua: RENEW });
    cmd.defineCommand('nnfleetPublish', { numberOfKeys: 1, lua: PUBLISH });
    this.#cmd = cmd as Redis & Scripts;
    this.#sub = make({ autoResubscribe: false, maxRetriesPerRequest: 0 });
    this.#cmd.on('error', (e: Error) => o.logger.debug({ err: e.message }, 'cache redis'));
    this.#sub.on('error', (e: Error) => o.logger.debug({ err: e.message }, 'cache redis subscriber'));
    this.#cmd.on('ready', () => (this.#cmdReadyAt = performance.now()));
    this.#sub.on('close', () => this.#lostSubscription());
    this.#sub.on('ready', () => void this.#subscribe());
    this.#sub.on('message', (channel: string, message: string) => this.#onMessage(channel, message));
  }

  /** Connects and starts renewing; the cache serves once the first renewal answered. */
  async start(): Promise<void> {
    this.#timer = setInterval(() => void this.#renew(), Math.max(20, Math.floor(this.#o.leaseMs / 3)));
    await Promise.all([this.#cmd.connect().catch(() => undefined), this.#sub.connect().catch(() => undefined)]);
    await this.#renew();
  }

  /** True while this namenode holds its cache lease (monotonic clock). */
  get leaseValid(): boolean {
    return performance.now() < this.#leaseEnd;
  }

  /** Milliseconds of lease left, 0 when none. */
  get leaseRemainingMs(): number {
    return Math.max(0, this.#leaseEnd - performance.now());
  }

  /**
   * True when no other namenode can hold an entry a write must invalidate
   * (README.md, *Sole holder*): this one holds its lease, knows of no other
   * live holder, and its Redis connection is past its probation (a Redis
   * reached less than a lease ago may have lost leases it granted).
   */
  get soleHolder(): boolean {
    const now = performance.now();
    return now < this.#leaseEnd && this.#others.size === 0 && now - this.#cmdReadyAt >= this.#o.leaseMs + this.#o.marginMs;
  }

  /** True when this namenode's joins fence (so its sole-holder writes may commit in their write round trip). */
  get fenced(): boolean {
    return this.#o.fence !== undefined;
  }

  /** Other live holders this namenode knows of (a gauge). */
  get otherHolders(): number {
    return this.#others.size;
  }

  async #subscribe(): Promise<void> {
    try {
      await this.#sub.subscribe(this.#inval, this.#ackChannel);
      this.#subscribed = true;
      this.#subGeneration++;
      void this.#renew();
    } catch (e) {
      this.#o.logger.debug({ err: (e as Error).message }, 'cache subscribe failed');
    }
  }

  #lostSubscription(): void {
    if (this.#subscribed) this.#o.logger.warn('cache: Redis subscription lost, lease dropped');
    this.#subscribed = false;
    this.#subGeneration++;
    // Marks not read yet never will be on this connection.
    for (const m of this.#marks.values()) m.wake?.(false);
    this.#lapse();
  }

  /** True once the subscriber read renewal `seq`'s mark (false after a lease's wait, or when the subscription dropped). */
  #markRead(seq: number): Promise<boolean> {
    const m = this.#marks.get(seq);
    if (!m) return Promise.resolve(false);
    if (m.arrived) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => m.wake?.(false), this.#o.leaseMs);
      m.wake = (arrived) => {
        clearTimeout(timer);
        m.wake = undefined;
        resolve(arrived);
      };
    });
  }

  #lapse(): void {
    this.#leaseEnd = 0;
    this.#o.metrics.lapses++;
    this.#o.onLapse();
  }

  /**
   * Renews the lease. Holding none (first start, or after a lapse), the
   * renewal is a join: the script tells every other live holder in the same
   * step, and the lease counts only once each acked (it then knows of this
   * one) or its lease ran out, and the fence (if any) passed: every write
   * that decided it was the sole holder before it knew of this one has then
   * committed or rolled back (README.md, *Sole holder*).
   */
  async #renew(): Promise<void> {
    if (!this.#subscribed || this.#stopped) return;
    const generation = this.#subGeneration;
    const sent = performance.now();
    // One join at a time (its fence holds a database connection): renewals meanwhile only keep the member alive.
    const join = this.#joining === undefined && !(sent < this.#leaseEnd);
    const seq = ++this.#seq;
    const pending: PendingAcks = { acked: new Set() };
    // Acks, and the renewal's mark, may come before the script's answer.
    this.#pending.set(seq, pending);
    this.#marks.set(seq, { arrived: false });
    try {
      let answer: unknown;
      try {
        const from = `{"from":${JSON.stringify(this.id)},"seq":${seq},"tokens":[]`;
        answer = await this.#cmd.nnfleetRenew(this.#leases, this.id, String(this.#o.leaseMs), this.#invalPrefix, `${from},"at":`, join ? '1' : '0', `${from},"mark":1}`);
      } catch (e) {
        this.#o.logger.debug({ err: (e as Error).message }, 'cache lease renewal failed');
        return;
      }
      // The answer and the invalidations come on two connections, in either order: the lease this
      // renewal grants counts only once every invalidation published to this namenode before it ran
      // was applied, i.e. once the subscriber read the mark the script published last.
      if (!(await this.#markRead(seq))) {
        this.#o.metrics.marksMissed++;
        return;
      }
      // Messages may have been missed if the subscription dropped since the renewal was sent.
      if (!this.#subscribed || generation !== this.#subGeneration || this.#stopped) return;
      const [continued, redisNow, ...flat] = answer as [number, number, ...string[]];
      const others = this.#noteHolders(Number(redisNow), flat);
      const end = sent + this.#o.leaseMs - this.#o.marginMs;
      if (!join && this.#joining !== undefined) {
        // The member stayed alive since the join began: the lease, once it counts, runs from here; else join again.
        if (continued === 1) this.#joinEnd = Math.max(this.#joinEnd, end);
        else this.#joining = undefined;
        return;
      }
      if (!join && continued === 1 && sent < this.#leaseEnd) {
        if (end > this.#leaseEnd) this.#leaseEnd = end;
        return;
      }
      this.#lapse();
      // A lease that ran out on this clock while Redis still held it sent no join: the next renewal joins.
      if (!join && continued === 1) return;
      this.#joining = seq;
      this.#joinEnd = end;
      const waiting = new Map([...others].filter(([holder]) => !pending.acked.has(holder)));
      if (waiting.size > 0) await this.#awaitAcks(pending, waiting);
      const passed = await this.#passFence();
      if (this.#joining !== seq) return;
      this.#joining = undefined;
      if (!passed || generation !== this.#subGeneration || this.#stopped) return;
      this.#o.metrics.joins++;
      // Reads begun while joining install nothing.
      this.#o.onLapse();
      this.#leaseEnd = this.#joinEnd;
    } finally {
      this.#pending.delete(seq);
      this.#marks.delete(seq);
    }
  }

  async #passFence(): Promise<boolean> {
    if (!this.#o.fence) return true;
    try {
      await this.#o.fence();
      return true;
    } catch (e) {
      this.#o.logger.warn({ err: (e as Error).message }, 'cache: join fence failed, joining again at the next renewal');
      return false;
    }
  }

  /** Updates the other holders known from a renewal's answer at Redis time `at`; answers them with their remaining ms. */
  #noteHolders(at: number, flat: readonly string[]): Map<string, number> {
    const listed = new Map<string, number>();
    for (let i = 0; i + 1 < flat.length; i += 2) listed.set(flat[i] as string, Number(flat[i + 1]));
    for (const [holder, seen] of this.#others) if (!listed.has(holder) && at > seen) this.#others.delete(holder);
    for (const holder of listed.keys()) this.#noteHolder(holder, at);
    return listed;
  }

  #noteHolder(holder: string, at: number): void {
    this.#others.set(holder, Math.max(this.#others.get(holder) ?? at, at));
  }

  #onMessage(channel: string, message: string): void {
    try {
      if (channel === this.#inval) {
        const m = JSON.parse(message) as InvalidationMessage;
        if (m.mark !== undefined) {
          const mark = m.from === this.id ? this.#marks.get(m.seq) : undefined;
          if (mark) {
            mark.arrived = true;
            mark.wake?.(true);
          }
          return;
        }
        if (m.at !== undefined) {
          // Known before the ack: every write deciding after it publishes to the joiner.
          this.#noteHolder(m.from, m.at);
          this.#o.metrics.joinsAcked++;
        } else {
          this.#o.metrics.invalidationsReceived++;
          this.#o.onInvalidate(m.tokens);
        }
        this.#cmd.publish(`${this.#o.prefix}ack:${m.from}`, JSON.stringify({ seq: m.seq, by: this.id })).catch(() => undefined);
      } else if (channel === this.#ackChannel) {
        const a = JSON.parse(message) as { seq: number; by: string };
        const p = this.#pending.get(a.seq);
        if (!p) return;
        this.#o.metrics.acksReceived++;
        p.acked.add(a.by);
        p.onAck?.(a.by);
      }
    } catch (e) {
      this.#o.logger.warn({ err: (e as Error).message }, 'cache: unreadable message ignored');
    }
  }

  /**
   * Tells every lease holder to forget the rows these tokens name, and
   * resolves once each one acked or its lease ran out (Redis unreachable:
   * after one whole lease and the margin). The writes that ask in one
   * event-loop turn share one message: each has sent its statements before
   * asking, so the message goes out after all of them, as each needs.
   */
  publish(tokens: readonly string[]): Promise<void> {
    if (!this.#o.coherent || tokens.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      let out = this.#outgoing;
      if (!out) {
        const batch: Outgoing = (out = this.#outgoing = { tokens: new Set(), done: [] });
        setImmediate(() => {
          this.#outgoing = undefined;
          void this.#publishNow([...batch.tokens]).finally(() => {
            for (const d of batch.done) d();
          });
        });
      }
      for (const t of tokens) out.tokens.add(t);
      out.done.push(resolve);
    });
  }

  async #publishNow(tokens: readonly string[]): Promise<void> {
    const m = this.#o.metrics;
    const seq = ++this.#seq;
    const pending: PendingAcks = { acked: new Set() };
    this.#pending.set(seq, pending);
    const started = performance.now();
    try {
      let answer: unknown;
      try {
        answer = await this.#cmd.nnfleetPublish(this.#leases, this.#invalPrefix, JSON.stringify({ from: this.id, seq, tokens }), this.id);
      } catch (e) {
        m.redisUnreachableWaits++;
        this.#o.logger.warn({ err: (e as Error).message }, 'cache: Redis unreachable, waiting out every lease before commit');
        await sleep(this.#o.leaseMs + this.#o.marginMs);
        return;
      }
      m.invalidationsSent++;
      const flat = answer as string[];
      const waiting = new Map<string, number>();
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const holder = flat[i] as string;
        if (holder !== this.id && !pending.acked.has(holder)) waiting.set(holder, Number(flat[i + 1]));
      }
      // A Redis this connection reached less than a lease ago (restarted, or a replica promoted by
      // Sentinel with asynchronous replication) may have lost leases granted just before: wait those out.
      const probation = this.#cmdReadyAt + this.#o.leaseMs + this.#o.marginMs - performance.now();
      await Promise.all([waiting.size > 0 ? this.#awaitAcks(pending, waiting) : undefined, probation > 0 ? sleep(probation) : undefined]);
    } finally {
      this.#pending.delete(seq);
      const ms = performance.now() - started;
      m.ackWaitMsTotal += ms;
      m.ackWaitMsMax = Math.max(m.ackWaitMsMax, ms);
    }
  }

  /** Until every holder acked, or its remaining lease (measured from now, after Redis answered) and the margin passed. */
  #awaitAcks(pending: PendingAcks, waiting: Map<string, number>): Promise<void> {
    return new Promise((resolve) => {
      const timers = new Map<string, NodeJS.Timeout>();
      const done = (holder: string) => {
        clearTimeout(timers.get(holder));
        timers.delete(holder);
        if (timers.size === 0) resolve();
      };
      for (const [holder, remainingMs] of waiting) {
        timers.set(
          holder,
          setTimeout(() => {
            this.#o.metrics.leasesWaitedOut++;
            done(holder);
          }, remainingMs + this.#o.marginMs),
        );
      }
      pending.onAck = (by) => {
        if (timers.has(by)) done(by);
      };
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#leaseEnd = 0;
    await this.#cmd.eval(RELEASE, 1, this.#leases, this.id).catch(() => undefined);
    this.#sub.disconnect();
    this.#cmd.disconnect();
  }
}
