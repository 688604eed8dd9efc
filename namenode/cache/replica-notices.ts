import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redisClient } from './redis-client';
import type { RedisEndpoint } from './redis-coherence';

/** Counters of the "replica arrived" notices, on /metrics. */
export class ReplicaNoticeMetrics {
  /** Messages published (one per event-loop turn with received replicas). */
  published = 0;
  /** Messages from other namenodes received. */
  received = 0;
  /** Messages not published: Redis unreachable (the waiters elsewhere poll instead). */
  publishFailures = 0;
  /** Received messages that could not be read (ignored). */
  unreadable = 0;
}

/** Inode ids in one message at most; a bigger burst goes in several. */
const MAX_IDS_PER_MESSAGE = 1000;

export interface ReplicaNoticesOptions {
  /** Where the subscriber connection goes. */
  readonly endpoint: RedisEndpoint;
  /** The namenode's command connection to that Redis (no offline queue: a publish fails fast while Redis is away). */
  readonly publisher: Redis;
  /** Key and channel prefix (the cache's): the channel is `<prefix>replicas`. */
  readonly prefix: string;
  readonly logger: Logger;
  /** Files that other namenodes took RECEIVED reports about. */
  readonly onArrived: (inodeIds: readonly number[]) => void;
}

interface Notice {
  readonly from: string;
  readonly ids: readonly number[];
}

/**
 * "Replica arrived" wake-ups across the fleet (issue 14 point 3, issue 11
 * point 1). A namenode that committed a RECEIVED incremental report
 * publishes the files' inode ids on one Redis channel; every other
 * namenode wakes its complete/addBlock waiters on those files, which then
 * re-check the rows in their own transaction. A notice is only a hint that
 * looking again is worthwhile: a lost one (Redis down, a reconnect) costs
 * the waiter its poll interval, never a wrong answer. Ids of one
 * event-loop turn go in one message.
 */
export class ReplicaNotices {
  readonly id = randomBytes(6).toString('hex');
  readonly metrics = new ReplicaNoticeMetrics();
  readonly #o: ReplicaNoticesOptions;
  readonly #channel: string;
  readonly #sub: Redis;
  #pending = new Set<number>();
  #flushQueued = false;
  #subscribed = false;

  constructor(o: ReplicaNoticesOptions) {
    this.#o = o;
    this.#channel = `${o.prefix}replicas`;
    this.#sub = redisClient(o.endpoint, 500, { autoResubscribe: false, maxRetriesPerRequest: 0 });
    this.#sub.on('error', (e: Error) => o.logger.debug({ err: e.message }, 'replica notices subscriber'));
    this.#sub.on('ready', () => void this.#subscribe());
    this.#sub.on('close', () => (this.#subscribed = false));
    this.#sub.on('message', (channel: string, message: string) => this.#onMessage(channel, message));
  }

  /** Connects the subscriber; notices flow once Redis answers (now or after it comes back). */
  async start(): Promise<void> {
    await this.#sub.connect().catch(() => undefined);
  }

  /** True while subscribed: notices from other namenodes can arrive. */
  get listening(): boolean {
    return this.#subscribed;
  }

  /** This namenode committed RECEIVED reports about these files: tell the fleet (batched per event-loop turn). */
  arrived(inodeIds: Iterable<number>): void {
    for (const id of inodeIds) this.#pending.add(id);
    if (this.#flushQueued || this.#pending.size === 0) return;
    this.#flushQueued = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushQueued = false;
    const ids = [...this.#pending];
    this.#pending = new Set();
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_MESSAGE) {
      const notice: Notice = { from: this.id, ids: ids.slice(i, i + MAX_IDS_PER_MESSAGE) };
      this.#o.publisher.publish(this.#channel, JSON.stringify(notice)).then(
        () => this.metrics.published++,
        (e: Error) => {
          this.metrics.publishFailures++;
          this.#o.logger.debug({ err: e.message }, 'replica notice not published');
        },
      );
    }
  }

  async #subscribe(): Promise<void> {
    try {
      await this.#sub.subscribe(this.#channel);
      this.#subscribed = true;
    } catch (e) {
      this.#o.logger.debug({ err: (e as Error).message }, 'replica notices: subscribe failed');
    }
  }

  #onMessage(channel: string, message: string): void {
    if (channel !== this.#channel) return;
    const notice = parseNotice(message);
    if (!notice) {
      this.metrics.unreadable++;
      return;
    }
    if (notice.from === this.id) return;
    this.metrics.received++;
    this.#o.onArrived(notice.ids);
  }

  stop(): void {
    this.#sub.disconnect();
  }
}

/** A notice, or undefined when the message is not one (anything else on the channel is ignored). */
export function parseNotice(message: string): Notice | undefined {
  let m: unknown;
  try {
    m = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof m !== 'object' || m === null) return undefined;
  const { from, ids } = m as { from?: unknown; ids?: unknown };
  if (typeof from !== 'string' || !Array.isArray(ids) || ids.length > MAX_IDS_PER_MESSAGE) return undefined;
  if (!ids.every((id) => Number.isSafeInteger(id))) return undefined;
  return { from, ids: ids as number[] };
}
