/** One object deletion: `run` resolves when the object is gone (or was already). */
export interface DeleteJob {
  readonly name: string;
  run(): Promise<unknown>;
}

export interface DeleteQueueOptions {
  /** At most this many deletions start per second (Swift is shared with every reader and writer). */
  readonly perSecond: number;
  /** Attempts per object before it is left to the leader's orphan sweep. */
  readonly maxAttempts: number;
  /** First retry delay; doubled on each failure, at most 60 s. */
  readonly retryBaseMs: number;
  readonly onGiveUp?: (name: string, err: unknown) => void;
  readonly onRetry?: (name: string, attempt: number, err: unknown) => void;
}

export const DELETE_QUEUE_DEFAULTS = { perSecond: 50, maxAttempts: 8, retryBaseMs: 1_000 } as const;

/**
 * Swift deletions of a gateway, done in the background: a block deleted in
 * the namespace must not wait on Swift, a Swift that is down must not lose
 * the deletion, and a `rm -r` of a million blocks must not flood Swift.
 * Jobs run one at a time, spaced to `perSecond`; a failed one goes back to
 * the end of the queue after a doubling delay, up to `maxAttempts`. The queue
 * lives in memory: what a killed gateway had queued is found by the
 * leader's orphan sweep (namenode/leader/duties/shared-orphans.ts).
 */
export class SwiftDeleteQueue {
  readonly #opts: DeleteQueueOptions;
  readonly #ready: { job: DeleteJob; attempt: number }[] = [];
  readonly #names = new Set<string>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #running: Promise<void> | undefined;
  #closed = false;
  #idle: (() => void)[] = [];
  deleted = 0;
  retried = 0;
  abandoned = 0;

  constructor(opts: Partial<DeleteQueueOptions> = {}) {
    this.#opts = { ...DELETE_QUEUE_DEFAULTS, ...opts };
  }

  /** Queues a deletion; one already queued under the same name is not queued twice. */
  add(job: DeleteJob): void {
    if (this.#closed || this.#names.has(job.name)) return;
    this.#names.add(job.name);
    this.#push(job, 1);
  }

  /** Deletions queued or waiting to be retried. */
  get pending(): number {
    return this.#names.size;
  }

  /** Resolves when nothing is queued or waiting for a retry. */
  drained(): Promise<void> {
    if (this.#names.size === 0) return Promise.resolve();
    return new Promise((r) => this.#idle.push(r));
  }

  /** Stops: queued deletions are dropped (the orphan sweep finds their objects). */
  close(): Promise<void> {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#ready.length = 0;
    return this.#running ?? Promise.resolve();
  }

  #push(job: DeleteJob, attempt: number): void {
    this.#ready.push({ job, attempt });
    this.#running ??= this.#drain().finally(() => (this.#running = undefined));
  }

  async #drain(): Promise<void> {
    const spacing = 1000 / this.#opts.perSecond;
    for (let next = this.#ready.shift(); next && !this.#closed; next = this.#ready.shift()) {
      const started = Date.now();
      await this.#attempt(next.job, next.attempt);
      const wait = spacing - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }

  async #attempt(job: DeleteJob, attempt: number): Promise<void> {
    try {
      await job.run();
      this.deleted++;
      this.#done(job.name);
    } catch (err) {
      if (attempt >= this.#opts.maxAttempts || this.#closed) {
        this.abandoned++;
        this.#opts.onGiveUp?.(job.name, err);
        this.#done(job.name);
        return;
      }
      this.retried++;
      this.#opts.onRetry?.(job.name, attempt, err);
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        if (!this.#closed) this.#push(job, attempt + 1);
      }, Math.min(this.#opts.retryBaseMs * 2 ** (attempt - 1), 60_000));
      timer.unref();
      this.#timers.add(timer);
    }
  }

  #done(name: string): void {
    this.#names.delete(name);
    if (this.#names.size === 0) for (const r of this.#idle.splice(0)) r();
  }
}
