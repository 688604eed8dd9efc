import { performance } from 'node:perf_hooks';

/**
 * One inline write longer than this sends writes to the thread pool: the
 * kernel made it wait (dirty-page throttling pauses a writer for 10-200 ms
 * at a time; a slow or network file system). Shorter ones are left to the
 * budget below: on two shared cores a write now and then took 5-44 ms,
 * preempted by the other processes or waiting once on write-back, among
 * thousands that took tens of microseconds.
 */
export const DEFAULT_STALL_MS = 50;
/**
 * Inline writes may take at most this much wall-clock time in any window
 * of `WINDOW_MS` (half of it), so slow-but-not-stalling writes cannot hold
 * the event loop most of the time.
 */
export const DEFAULT_WALL_BUDGET_MS = 500;
export const WINDOW_MS = 1_000;
/** How long after that writes go through the thread pool before the event loop tries again. */
export const DEFAULT_INLINE_BACKOFF_MS = 10_000;

export interface InlineWritesOptions {
  /** Off: every write goes through libuv's thread pool (`nnfleet datanode --no-inline-writes`). */
  readonly enabled: boolean;
  readonly stallMs?: number;
  /** Per WINDOW_MS: wall-clock time in inline writes. */
  readonly budgetMs?: number;
  readonly backoffMs?: number;
  /** Milliseconds on a monotonic clock (tests pass their own). */
  readonly now?: () => number;
  /** Told each time inline writes are suspended (the datanode logs a warning). */
  readonly onSuspend?: (why: InlineSuspension) => void;
}

/** Why inline writes were suspended: the write that stalled, or the window's total over the budget. */
export interface InlineSuspension {
  readonly writeMs: number;
  readonly windowMs: number;
  readonly backoffMs: number;
}

/** Where a datanode's replica file operations ran: inline on the event loop, or through the thread pool. */
export interface InlineWriteStats {
  inline: number;
  pooled: number;
  /** Times inline writes were suspended for the backoff: one stalled, or they took more than the budget. */
  slow: number;
}

/**
 * Whether a replica's bytes are written with synchronous pwrite on the
 * event loop ("inline") or through libuv's thread pool. A packet's two
 * writes (data and checksums) go to the OS's page cache and take tens of
 * microseconds there, but through the thread pool each also costs a hand-off
 * to a worker thread and back (futex wake-ups, an eventfd, context switches):
 * strace counted ~10 futex calls per 64 KiB packet on a datanode, and the
 * datanodes' CPU per MiB written fell by about a quarter inline
 * (bench/README.md, *Datanode throughput*). Hadoop's BlockReceiver writes
 * each packet synchronously too, on the block's own thread. The other
 * operations on a replica being written (opening, closing and renaming its
 * two files, `ReplicaFdOps`) follow the same policy: for a small block they
 * are most of the work.
 *
 * Writing inline stalls the event loop whenever the kernel makes a write
 * wait. So each inline write is timed, and one longer than `stallMs`, or
 * inline writes taking more than `budgetMs` of one second, send this
 * datanode's writes back to the thread pool for `backoffMs`, after which the
 * event loop tries again.
 *
 * Tried and dropped: a bound on the time asleep in the writes, from the
 * thread's scheduler statistics (wall-clock time neither on a CPU nor
 * waiting for one). In a Firecracker VM that remainder also holds the
 * hypervisor's steal and the softirq time of loopback traffic, and it
 * passed 100 ms a second within a few thousand packets on tmpfs too.
 */
export class InlineWrites {
  readonly #enabled: boolean;
  readonly #stallMs: number;
  readonly #budgetMs: number;
  readonly #backoffMs: number;
  readonly #now: () => number;
  readonly #onSuspend: ((why: InlineSuspension) => void) | undefined;
  #pooledUntil = -Infinity;
  #windowStart = -Infinity;
  #spentMs = 0;
  readonly stats: InlineWriteStats = { inline: 0, pooled: 0, slow: 0 };

  constructor(o: InlineWritesOptions) {
    this.#enabled = o.enabled;
    this.#stallMs = o.stallMs ?? DEFAULT_STALL_MS;
    this.#budgetMs = o.budgetMs ?? DEFAULT_WALL_BUDGET_MS;
    this.#backoffMs = o.backoffMs ?? DEFAULT_INLINE_BACKOFF_MS;
    this.#now = o.now ?? (() => performance.now());
    this.#onSuspend = o.onSuspend;
  }

  /**
   * Runs the writes: `inline` (synchronous) when allowed, measured;
   * otherwise `pooled` (through the thread pool).
   */
  async run<T>(inline: () => T, pooled: () => Promise<T>): Promise<T> {
    const start = this.#enabled ? this.#now() : 0;
    if (!this.#enabled || start < this.#pooledUntil) {
      this.stats.pooled++;
      return pooled();
    }
    this.stats.inline++;
    const result = inline();
    this.#account(start, this.#now());
    return result;
  }

  #account(start: number, end: number): void {
    if (start - this.#windowStart >= WINDOW_MS) {
      this.#windowStart = start;
      this.#spentMs = 0;
    }
    this.#spentMs += end - start;
    if (end - start > this.#stallMs || this.#spentMs > this.#budgetMs) {
      this.stats.slow++;
      this.#onSuspend?.({ writeMs: end - start, windowMs: this.#spentMs, backoffMs: this.#backoffMs });
      this.#spentMs = 0;
      this.#windowStart = -Infinity;
      this.#pooledUntil = end + this.#backoffMs;
    }
  }
}
