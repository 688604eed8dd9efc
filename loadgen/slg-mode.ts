import type { PhaseResult } from './loadgen-result';
import { OperationMix } from './operation-mix';
import { runPhase, workQueue, expectTrue, type ModeContext } from './run-phase';
import { SeededRandom } from './seeded-random';
import { generateSlgStructure, underRoot, type SlgStructureOptions } from './slg-structure';
import type { Operation } from './worker-loop';

/** Hadoop SLG's options, by their Hadoop names; times as SLG has them (ms delay, s elapsed). */
export interface SlgOptions extends SlgStructureOptions {
  readonly root: string;
  readonly readProbability: number;
  readonly writeProbability: number;
  readonly numOfThreads: number;
  readonly maxDelayBetweenOps: number;
  readonly elapsedTime: number;
  readonly seed: number;
  /** Bytes per SLG block, for file sizes. */
  readonly blockSize: number;
}

type SlgOp = 'read' | 'write' | 'list';

/**
 * Hadoop's Synthetic Load Generator: generate a random tree (structure
 * generation), create it with files (data generation), then run closed-loop
 * threads that read a random file, write (create, write, close) then delete
 * a new file, or list a random directory, with the configured probabilities.
 */
export async function runSlg(ctx: ModeContext, o: SlgOptions): Promise<PhaseResult[]> {
  if (o.readProbability < 0 || o.writeProbability < 0 || o.readProbability + o.writeProbability > 1) {
    throw new RangeError('readProbability and writeProbability must be non-negative and sum to at most 1');
  }
  const rng = new SeededRandom(o.seed);
  const structure = generateSlgStructure(o, rng);
  const dirs = structure.dirs.map((d) => underRoot(o.root, d.path));
  const files = structure.files.map((f) => ({ path: underRoot(o.root, f.path), bytes: Math.round(f.sizeInBlocks * o.blockSize) }));

  const leafPaths = structure.leaves.map((l) => underRoot(o.root, l));
  const mkdirsPhase = await runPhase(ctx, 'slg structure (mkdirs of leaves)', {
    threads: o.numOfThreads,
    expectedOps: leafPaths.length,
    next: workQueue(leafPaths, (path, w) => ({
      op: 'mkdirs',
      run: async () => expectTrue(await ctx.pool.forWorker(w).mkdirs(path), `mkdirs ${path}`),
    })),
  });
  const dataPhase = await runPhase(ctx, 'slg data generation (write files)', {
    threads: o.numOfThreads,
    expectedOps: files.length,
    next: workQueue(files, (f, w) => ({ op: 'write', run: () => ctx.fileData.writeFile(ctx.pool.forWorker(w), f.path, f.bytes) })),
  });

  const mix = new OperationMix<SlgOp>([
    { op: 'read', weight: o.readProbability },
    { op: 'write', weight: o.writeProbability },
    { op: 'list', weight: 1 - o.readProbability - o.writeProbability },
  ]);
  const rngs = Array.from({ length: o.numOfThreads }, (_, w) => rng.fork(w));
  const written = new Array<number>(o.numOfThreads).fill(0);
  // A write is two operations, timed apart as SLG does: the write, then its delete.
  const pendingDelete = new Map<number, string>();

  const next = (w: number): Operation => {
    const client = ctx.pool.forWorker(w);
    const toDelete = pendingDelete.get(w);
    if (toDelete !== undefined) {
      pendingDelete.delete(w);
      return { op: 'delete', run: async () => expectTrue(await client.delete(toDelete, false), `delete ${toDelete}`) };
    }
    const r = rngs[w] as SeededRandom;
    switch (mix.draw(r)) {
      case 'read': {
        const file = files.length > 0 ? r.pick(files).path : undefined;
        if (file === undefined) return { op: 'list', run: () => list(r.pick(dirs)) };
        return { op: 'read', run: async () => void (await ctx.fileData.readFile(client, file)) };
      }
      case 'write': {
        const path = `${r.pick(leafPaths)}/_slg_w${w}_${written[w]}`;
        written[w] = (written[w] as number) + 1;
        const bytes = Math.round(Math.max(0, r.gaussian() + o.avgFileSize) * o.blockSize);
        return {
          op: 'write',
          run: async () => {
            await ctx.fileData.writeFile(client, path, bytes);
            pendingDelete.set(w, path);
          },
        };
      }
      case 'list':
        return { op: 'list', run: () => list(r.pick(dirs)) };
    }

    async function list(dir: string): Promise<void> {
      await client.getListingSize(dir);
    }
  };

  const loadPhase = await runPhase(ctx, 'slg load', {
    threads: o.numOfThreads,
    durationMs: o.elapsedTime * 1000,
    maxDelayMs: o.maxDelayBetweenOps,
    rngs,
    next,
  });
  // Deletes still owed when the clock ran out, so the namespace is left as generated.
  const owed = [...pendingDelete];
  const cleanupPhase = await runPhase(ctx, 'slg cleanup (deletes owed at the end)', {
    threads: o.numOfThreads,
    expectedOps: owed.length,
    next: workQueue(owed, ([w, path]) => ({
      op: 'delete',
      run: async () => expectTrue(await ctx.pool.forWorker(w).delete(path, false), `delete ${path}`),
    })),
  });
  return [mkdirsPhase, dataPhase, loadPhase, cleanupPhase];
}
