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

function withTimeout(p: Promise<void>, ms: number | undefined): Promise<void> {
  if (ms === undefined) return p;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OperationTimeoutError(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
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
  try {
    await Promise.all(Array.from({ length: opts.threads }, (_, w) => worker(w)));
  } finally {
    clearInterval(timer);
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
        await withTimeout(operation.run(), opts.opTimeoutMs);
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
