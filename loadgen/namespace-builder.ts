import type { PhaseResult } from './loadgen-result';
import type { NamespaceLayout } from './namespace-layout';
import { expectTrue, runPhase, workQueue, type ModeContext } from './run-phase';

/**
 * Creates a layout's directories, then its files (create + complete: empty
 * files, metadata only), as two measured setup phases.
 */
export async function buildNamespace(ctx: ModeContext, layout: NamespaceLayout, threads: number, label: string): Promise<PhaseResult[]> {
  const dirs = layout.allDirs();
  const dirPhase = await runPhase(ctx, `${label}: mkdirs ${dirs.length} dirs`, {
    threads,
    expectedOps: dirs.length,
    next: workQueue(dirs, (dir, w) => ({ op: 'mkdirs', run: async () => expectTrue(await ctx.pool.forWorker(w).mkdirs(dir), `mkdirs ${dir}`) })),
  });
  const files = layout.allFiles();
  const filePhase = await runPhase(ctx, `${label}: create ${files.length} files`, {
    threads,
    expectedOps: files.length,
    next: workQueue(files, (path, w) => ({ op: 'create', run: () => createEmpty(ctx, w, path) })),
  });
  return [dirPhase, filePhase];
}

/** NNThroughputBenchmark's create: create with overwrite, then complete the empty file. */
export async function createEmpty(ctx: ModeContext, worker: number, path: string): Promise<void> {
  const client = ctx.pool.forWorker(worker);
  await client.create(path, { overwrite: true });
  expectTrue(await client.complete(path), `complete ${path}`);
}
