import type { ClientPool } from './client-pool';
import type { FileDataClient } from './file-data-client';
import type { PhaseResult } from './loadgen-result';
import { PhaseRecorder } from './phase-recorder';
import type { ProgressReporter } from './progress-reporter';
import { runWorkers, type Operation, type WorkerLoopOptions } from './worker-loop';

/** What every mode runs against. */
export interface ModeContext {
  readonly pool: ClientPool;
  readonly fileData: FileDataClient;
  readonly progress: ProgressReporter;
  readonly user: string;
  /** See WorkerLoopOptions.opTimeoutMs. */
  readonly opTimeoutMs?: number;
}

export type PhaseLoop = Omit<WorkerLoopOptions, 'recorder' | 'progress'>;

/** Runs one phase's workers and returns its results, RPC counts included. */
export async function runPhase(ctx: ModeContext, name: string, loop: PhaseLoop): Promise<PhaseResult> {
  ctx.pool.counter.drain();
  const recorder = new PhaseRecorder(name, loop.threads);
  const timeout = ctx.opTimeoutMs === undefined ? {} : { opTimeoutMs: ctx.opTimeoutMs };
  await runWorkers({ ...timeout, ...loop, recorder, progress: ctx.progress.begin(name) });
  return recorder.finish(ctx.pool.counter.drain());
}

/** A fixed list of work shared by all workers: whoever is free takes the next item. */
export function workQueue<T>(items: readonly T[], toOp: (item: T, worker: number) => Operation): (worker: number) => Operation | undefined {
  let next = 0;
  return (worker) => {
    if (next >= items.length) return undefined;
    return toOp(items[next++] as T, worker);
  };
}

/** Turns a `false` answer (rename, delete, mkdirs, complete…) into a counted error, as a failed operation. */
export function expectTrue(result: boolean, what: string): void {
  if (!result) throw new ResultFalseError(`${what} answered false`);
}

export class ResultFalseError extends Error {
  override readonly name = 'ResultFalse';
}

/** An absent status from getFileInfo: HDFS answers null rather than an exception. */
export class NoStatusError extends Error {
  override readonly name = 'NoFileStatus';
}
