import { IpcConnectionError, RemoteError } from '../protocol/ipc/ipc-errors';
import type { PhaseRecorder } from './phase-recorder';
import type { ProgressSink } from './progress-reporter';
import type { SeededRandom } from './seeded-random';

/** One operation a worker performs; `run` resolves when every RPC of it has been answered. */
export interface Operation {
  readonly op: string;
  run(): Promise<void>;
}

export interface WorkerLoopOptions {
  readonly threads: number;
  readonly recorder: PhaseRecorder;
  /** The next operation of worker `worker`, or undefined when that worker has no more work. */
  next(worker: number): Operation | undefined;
  /** Stop starting operations after this long; absent: run until `next` is exhausted. */
  readonly durationMs?: number;
  /** The clock `durationMs` is measured on: performance.now unless a test drives time itself. Latencies always use performance.now. */
  readonly now?: () => number;
  /** SLG's maxDelayBetweenOps: each worker sleeps a uniform [0, max) ms between operations. */
  readonly maxDelayMs?: number;
  /** Per-worker generators for the delays. */
  readonly rngs?: readonly SeededRandom[];
  /**
   * Give up on an operation unanswered this long: it counts as an
   * OperationTimeout error and its worker stops, so a namenode that stopped
   * answering ends the phase instead of hanging the run.
   */
  readonly opTimeoutMs?: number;
  /** Operations in all, when known (count-based runs), for the progress bar. */
  readonly expectedOps?: number;
  readonly progress: ProgressSink;
}

const PROGRESS_EVERY_MS = 250;

export class OperationTimeoutError extends Error {
  override readonly name = 'OperationTimeout';
}

/**
 * Operation timeouts without a timer per operation (a setTimeout, a
 * clearTimeout, a Promise.race and a finally each: client CPU the namenode's
 * figures compete with on a small box): each worker notes when its current
 * operation started, and one interval fails a worker's wait once it is
 * `ms` old. An operation may run up to a tenth of `ms` past it.
 */
class Watchdog {
  readonly #ms: number;
  readonly #startedAt: number[];
  readonly #fail: ((e: Error) => void)[] = [];
  readonly #timer: NodeJS.Timeout;

  constructor(ms: number, workers: number) {
    this.#ms = ms;
    this.#startedAt = new Array<number>(workers).fill(NaN);
    this.#timer = setInterval(() => this.#check(), Math.max(5, Math.min(1000, ms / 10)));
  }

  /** Resolves or rejects as `run` does, or rejects with OperationTimeout once `ms` pass. */
  guard(worker: number, run: Promise<void>): Promise<void> {
    this.#startedAt[worker] = performance.now();
    return new Promise<void>((resolve, reject) => {
      this.#fail[worker] = reject;
      run.then(
        () => {
          this.#startedAt[worker] = NaN;
          resolve();
        },
        (e: unknown) => {
          this.#startedAt[worker] = NaN;
          reject(e);
        },
      );
    });
  }

  #check(): void {
    const now = performance.now();
    this.#startedAt.forEach((at, w) => {
      if (now - at >= this.#ms) {
        this.#startedAt[w] = NaN;
        this.#fail[w]?.(new OperationTimeoutError(`no answer within ${this.#ms} ms`));
      }
    });
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

/** Java exception class for a namenode's answer; the error's own name for client-side failures. */
export function errorClassOf(err: unknown): string {
  if (err instanceof RemoteError) return err.className || 'RemoteError';
  if (err instanceof Error) return err.name;
  return 'Error';
}

/**
 * Runs `threads` closed-loop workers: each sends its next operation when the
 * previous one is answered. A worker whose connection died stops (its calls
 * would all fail at once and flood the counts), after recording the error.
 */
export async function runWorkers(opts: WorkerLoopOptions): Promise<void> {
  const now = opts.now ?? (() => performance.now());
  const deadline = opts.durationMs === undefined ? Infinity : now() + opts.durationMs;
  const showProgress = (): void => {
    const snap = opts.recorder.snapshot();
    const done = snap.ops + snap.errors;
    let fraction: number | undefined;
    let etaSeconds: number | undefined;
    if (opts.durationMs !== undefined) {
      fraction = Math.min(1, snap.elapsedMs / opts.durationMs);
      etaSeconds = Math.max(0, (opts.durationMs - snap.elapsedMs) / 1000);
    }
    if (opts.expectedOps !== undefined && opts.expectedOps > 0) {
      const byCount = Math.min(1, done / opts.expectedOps);
      const rate = done / Math.max(snap.elapsedMs, 1);
      const countEta = rate > 0 ? (opts.expectedOps - done) / rate / 1000 : undefined;
      if (fraction === undefined || byCount > fraction) {
        fraction = byCount;
        etaSeconds = countEta;
      }
    }
    opts.progress.update({ ...snap, fraction, etaSeconds });
  };
  const timer = setInterval(showProgress, PROGRESS_EVERY_MS);
  const watchdog = opts.opTimeoutMs === undefined ? undefined : new Watchdog(opts.opTimeoutMs, opts.threads);
  try {
    await Promise.all(Array.from({ length: opts.threads }, (_, w) => worker(w)));
  } finally {
    clearInterval(timer);
    watchdog?.stop();
    showProgress();
    opts.progress.stop();
  }

  async function worker(w: number): Promise<void> {
    const rng = opts.rngs?.[w];
    for (;;) {
      if (now() >= deadline) return;
      const operation = opts.next(w);
      if (operation === undefined) return;
      const t0 = performance.now();
      try {
        await (watchdog ? watchdog.guard(w, operation.run()) : operation.run());
        opts.recorder.recordSuccess(operation.op, t0);
      } catch (err) {
        opts.recorder.recordError(operation.op, errorClassOf(err));
        if (err instanceof IpcConnectionError || err instanceof OperationTimeoutError) return;
      }
      if (opts.maxDelayMs && rng) {
        const delay = rng.next() * opts.maxDelayMs;
        if (delay >= 1) await new Promise((r) => setTimeout(r, delay));
      }
    }
  }
}
