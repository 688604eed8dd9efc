/** How long a short batch may wait for company, and what counts as short (namesystem-config.ts lookupLinger*). */
export interface LingerSettings {
  /** A batch with fewer requests than this waits (0: never). */
  readonly minBatch: number;
  /** The longest wait, ms (0: never). */
  readonly maxMs: number;
  /**
   * A wait that runs out its time with at least this many requests queued
   * still paid: it counts as filled (default `minBatch`: only a full batch
   * pays). Group commit's writes use 2: a write that found one companion
   * already shared its transaction; lookups lookupLingerPaidAt (4).
   */
  readonly paidAt?: number;
}

/** The weight of the newest outcome in the share of waits that did not pay. */
const OUTCOME_WEIGHT = 0.1;
/** Waits stop while more than this share of them do not pay. */
const MAX_WASTED_SHARE = 0.5;
/** How long waits stop then before one is tried again; doubled while the tried one does not pay either. */
const FIRST_QUIET_MS = 20;
const MAX_QUIET_MS = 1_000;

/**
 * When a batcher's next batch should wait for more requests before it goes
 * to the database (a commit delay, as MySQL's binlog_group_commit_sync_delay
 * or PostgreSQL's commit_delay): a batch shorter than `minBatch` waits up to
 * `maxMs`, and goes as soon as `minBatch` requests are queued.
 *
 * Why: a namenode's batch holds what arrived during the last round trip, so
 * it follows the clients that namenode serves. Two namenodes behind a load
 * balancer each get half the clients and send batches half as long: the
 * fleet sends the database twice the statements for the same operations
 * (bench fleet section: 0.08 statements per fileStatus with one namenode,
 * 0.20 with two). The database is what a fleet shares, so a namenode
 * spends a little of its callers' latency to spare it. On the 2-core bench
 * box that spared CPU came back as throughput: two namenodes, 32 client
 * threads, 13,700 → 17,700 fileStatus/s at 0.19 → 0.07 statements each
 * (12 and 2 ms; bench/README.md, *Short lookup batches wait for company*).
 *
 * A wait pays only while requests arrive fast enough to fill the batch (or,
 * with `paidAt`, to give it that much company); a wait that runs out its
 * time short of that (few callers, a quiet namenode) only adds latency. So
 * the share of waits that did not pay is kept (an exponential average);
 * above MAX_WASTED_SHARE no batch waits for FIRST_QUIET_MS, then one tries,
 * and while the tried ones do not pay either the quiet doubles up to
 * MAX_QUIET_MS. A single sequential client pays about one `maxMs` wait per
 * MAX_QUIET_MS.
 */
export class BatchLinger {
  readonly #settings: LingerSettings;
  readonly #now: () => number;
  /** Starts at the limit: the first wait that does not pay stops waits for a while. */
  #wastedShare = MAX_WASTED_SHARE;
  #quietMs = 0;
  #quietUntil = 0;
  /** Waits that filled their batch, waits that ran out their time (paid or not), and waits cut short. */
  filled = 0;
  timedOut = 0;
  cutShort = 0;

  constructor(settings: LingerSettings, now: () => number = () => performance.now()) {
    this.#settings = settings;
    this.#now = now;
  }

  get maxMs(): number {
    return this.#settings.maxMs;
  }

  /** Whether a batch of `queued` requests should wait now. */
  shouldWait(queued: number): boolean {
    const { minBatch, maxMs } = this.#settings;
    return maxMs > 0 && queued < minBatch && this.#now() >= this.#quietUntil;
  }

  /** Whether a waiting batch of `queued` is long enough to go. */
  isFull(queued: number): boolean {
    return queued >= this.#settings.minBatch;
  }

  /** How many full batches `queued` requests make. */
  fullBatches(queued: number): number {
    return Math.floor(queued / this.#settings.minBatch);
  }

  /** A wait ended with `minBatch` queued. */
  onFilled(): void {
    this.filled++;
    this.#onPaid();
  }

  #onPaid(): void {
    this.#wastedShare *= 1 - OUTCOME_WEIGHT;
    if (this.#wastedShare <= MAX_WASTED_SHARE) this.#quietMs = 0;
  }

  /**
   * A wait ended early with `queued` requests because no other request
   * could come (its batcher knows who else is being served): paid with
   * `paidAt` requests, wasted with fewer, as when it runs out its time.
   */
  onCutShort(queued: number): void {
    this.cutShort++;
    this.#outcome(queued);
  }

  /**
   * A wait ran out its time with `queued` requests: one that gathered
   * `paidAt` counts as filled; when too many others do, none for a while,
   * longer each time in a row.
   */
  onTimedOut(queued: number): void {
    this.timedOut++;
    this.#outcome(queued);
  }

  #outcome(queued: number): void {
    if (queued >= (this.#settings.paidAt ?? this.#settings.minBatch)) {
      this.#onPaid();
      return;
    }
    this.#wastedShare += OUTCOME_WEIGHT * (1 - this.#wastedShare);
    if (this.#wastedShare <= MAX_WASTED_SHARE) return;
    this.#quietMs = this.#quietMs === 0 ? FIRST_QUIET_MS : Math.min(MAX_QUIET_MS, this.#quietMs * 2);
    this.#quietUntil = this.#now() + this.#quietMs;
  }
}

export const NO_LINGER: LingerSettings = { minBatch: 0, maxMs: 0 };

/**
 * The wait a batcher's next batch is in (FlightQueue's, GroupCommitter's):
 * `begin` starts it; it ends when its time runs out, when `offer` finds
 * the batch full, or at `cutShort`, each outcome told to the BatchLinger;
 * then `go` runs (on the next turn of the event loop, the timer's at once).
 */
export class LingerWait {
  readonly #linger: BatchLinger;
  readonly #queued: () => number;
  readonly #go: () => void;
  #timer: NodeJS.Timeout | undefined;

  /** `queued`: the batch's length now. */
  constructor(linger: BatchLinger, queued: () => number, go: () => void) {
    this.#linger = linger;
    this.#queued = queued;
    this.#go = go;
  }

  get active(): boolean {
    return this.#timer !== undefined;
  }

  begin(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#linger.onTimedOut(this.#queued());
      this.#go();
    }, this.#linger.maxMs);
  }

  /** A request joined the waiting batch: the wait ends if that filled it (true). */
  offer(): boolean {
    if (!this.#linger.isFull(this.#queued())) return false;
    this.#linger.onFilled();
    this.#end();
    return true;
  }

  /** The wait ends early: no other request can come (see BatchLinger.onCutShort). */
  cutShort(): void {
    this.#linger.onCutShort(this.#queued());
    this.#end();
  }

  #end(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    setImmediate(this.#go);
  }
}
