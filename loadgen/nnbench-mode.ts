import type { PhaseResult } from './loadgen-result';
import { buildNamespace, createEmpty } from './namespace-builder';
import { NamespaceLayout } from './namespace-layout';
import { expectTrue, NoStatusError, runPhase, type ModeContext } from './run-phase';
import type { Operation } from './worker-loop';

export const NNBENCH_OPS = ['create', 'mkdirs', 'open', 'fileStatus', 'listStatus', 'rename', 'delete'] as const;
export type NnbenchOp = (typeof NNBENCH_OPS)[number];

/** NNThroughputBenchmark's options, by its names. */
export interface NnbenchOptions {
  readonly op: NnbenchOp;
  readonly threads: number;
  /** Operations to run: one per file (per directory slot for listStatus). */
  readonly files: number;
  readonly filesPerDir: number;
  /**
   * Run over files a previous run made with the same root/files/filesPerDir,
   * instead of creating them first; for create and mkdirs: make the new
   * entries in those existing directories, round-robin.
   */
  readonly useExisting: boolean;
  readonly root: string;
  /**
   * Optional time-based run: cycle over the files until this many seconds
   * pass (open, fileStatus, listStatus), keep making new names (create,
   * mkdirs); rename and delete still stop when their files run out.
   */
  readonly durationSeconds?: number;
  /**
   * Put before the names create and mkdirs make in existing directories
   * (`create17`, `mkdir17`): a warm-up pass names its own, so the measured
   * pass after it makes new entries instead of overwriting the warm-up's.
   */
  readonly namePrefix?: string;
}

/** Operations that need the files to exist before they are measured. */
const NEEDS_FILES: ReadonlySet<NnbenchOp> = new Set(['open', 'fileStatus', 'listStatus', 'rename', 'delete']);

/**
 * One operation type at a time, as fast as `threads` closed-loop workers
 * can drive it. "open" is getBlockLocations: the namenode's whole part of
 * opening a file, as in NNThroughputBenchmark.
 */
export async function runNnbench(ctx: ModeContext, o: NnbenchOptions): Promise<PhaseResult[]> {
  const layout = new NamespaceLayout(o.root, o.files, o.filesPerDir);
  const phases: PhaseResult[] = [];
  if (NEEDS_FILES.has(o.op) && !o.useExisting) phases.push(...(await buildNamespace(ctx, layout, o.threads, 'nnbench setup')));

  const timed = o.durationSeconds !== undefined;
  const cycles = timed && (o.op === 'open' || o.op === 'fileStatus' || o.op === 'listStatus');
  const unbounded = timed && (o.op === 'create' || o.op === 'mkdirs');
  const slots = o.op === 'listStatus' ? layout.dirs : o.files;
  let seq = 0;
  const next = (w: number): Operation | undefined => {
    if (!unbounded && !cycles && seq >= slots) return undefined;
    if (slots === 0 && !unbounded) return undefined;
    const i = cycles ? seq++ % slots : seq++;
    return operation(ctx, layout, o.op, i, w, o.useExisting, o.namePrefix ?? '');
  };
  phases.push(
    await runPhase(ctx, `nnbench ${o.op}`, {
      threads: o.threads,
      next,
      ...(timed ? { durationMs: (o.durationSeconds as number) * 1000 } : { expectedOps: slots }),
    }),
  );
  return phases;
}

function operation(ctx: ModeContext, layout: NamespaceLayout, op: NnbenchOp, i: number, w: number, intoExisting: boolean, namePrefix: string): Operation {
  const client = ctx.pool.forWorker(w);
  switch (op) {
    case 'create': {
      const path = intoExisting ? layout.spreadPath(`${namePrefix}create`, i) : layout.filePath(i);
      return { op, run: () => createEmpty(ctx, w, path) };
    }
    case 'mkdirs': {
      const path = intoExisting ? layout.spreadPath(`${namePrefix}mkdir`, i) : layout.mkdirPath(i);
      return { op, run: async () => expectTrue(await client.mkdirs(path), 'mkdirs') };
    }
    case 'open':
      return { op, run: async () => void (await client.getBlockLocations(layout.filePath(i))) };
    case 'fileStatus':
      return {
        op,
        run: async () => {
          if (!(await client.getFileInfo(layout.filePath(i)))) throw new NoStatusError(layout.filePath(i));
        },
      };
    case 'listStatus':
      return { op, run: async () => void (await client.getListingSize(layout.dirPath(i))) };
    case 'rename':
      return { op, run: async () => expectTrue(await client.rename(layout.filePath(i), `${layout.filePath(i)}.renamed`), 'rename') };
    case 'delete':
      return { op, run: async () => expectTrue(await client.delete(layout.filePath(i), false), 'delete') };
  }
}
