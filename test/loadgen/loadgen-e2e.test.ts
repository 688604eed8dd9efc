import { PassThrough } from 'node:stream';
import { MetadataOnlyFileDataClient } from '../../loadgen/file-data-client';
import type { LoadgenReport, PhaseResult } from '../../loadgen/loadgen-result';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { runNnbench, type NnbenchOptions } from '../../loadgen/nnbench-mode';
import { runLoadgen, type LoadgenCommon } from '../../loadgen/run-loadgen';
import { SeededRandom } from '../../loadgen/seeded-random';
import { generateSlgStructure } from '../../loadgen/slg-structure';
import { runSlg, type SlgOptions } from '../../loadgen/slg-mode';
import { runSpotify, SpotifyMix, type SpotifyOptions } from '../../loadgen/spotify-mode';
import { ClientPool } from '../../loadgen/client-pool';
import { buildNamespace } from '../../loadgen/namespace-builder';
import { NamespaceLayout } from '../../loadgen/namespace-layout';
import { createProgressReporter } from '../../loadgen/progress-reporter';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';
import { callDelta, serverCalls } from './server-calls';

jest.setTimeout(120_000);

let fx: NamenodeFixture;
let probe: NamenodeClient;

beforeAll(async () => {
  fx = await namenodeFixture('loadgen_e2e');
  probe = await NamenodeClient.connect(fx.address, fx.superuser, 'probe', new RpcCounter());
});

afterAll(async () => {
  await probe?.close();
  await fx?.close();
});

function common(): LoadgenCommon {
  return { fileData: new MetadataOnlyFileDataClient(), namenodes: [fx.address], user: fx.superuser, connections: 3, progress: 'none' };
}

/** Runs a mode and returns its report with what the server answered meanwhile. */
async function measured(run: () => Promise<LoadgenReport>): Promise<{ report: LoadgenReport; server: Record<string, { ok: number; error: number }> }> {
  const before = await serverCalls(fx.namenode.httpPort);
  const report = await run();
  return { report, server: callDelta(before, await serverCalls(fx.namenode.httpPort)) };
}

function sumRpcs(phases: readonly PhaseResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of phases) for (const [m, n] of Object.entries(p.rpcCalls)) out[m] = (out[m] ?? 0) + n;
  return out;
}

/** Every RPC the load generator counted reached the namenode and was answered, and nothing else was. */
function expectServerSawExactly(phases: readonly PhaseResult[], server: Record<string, { ok: number; error: number }>): void {
  const seen = Object.fromEntries(Object.entries(server).map(([m, d]) => [m, d.ok + d.error]));
  expect(seen).toEqual(sumRpcs(phases));
}

function op(phase: PhaseResult | undefined, name: string): { count: number; errors: number } {
  const o = phase?.ops.find((x) => x.op === name);
  return { count: o?.count ?? 0, errors: o?.errors ?? 0 };
}

const quiet = (): PassThrough => new PassThrough().resume();

async function summary(path: string): Promise<{ files: number; dirs: number }> {
  const s = await probe.getContentSummary(path);
  return { files: Number(s?.fileCount), dirs: Number(s?.directoryCount) };
}

function nnbench(o: Partial<NnbenchOptions> & Pick<NnbenchOptions, 'op' | 'root'>) {
  const options: NnbenchOptions = { threads: 4, files: 60, filesPerDir: 10, useExisting: false, ...o };
  return measured(() => runLoadgen('nnbench', common(), options, runNnbench, quiet()));
}

describe('nnbench end to end', () => {
  it('create: every counted create made a file, and the server saw each create and complete', async () => {
    const { report, server } = await nnbench({ op: 'create', root: '/nb' });
    const phase = report.phases.at(-1);
    expect(op(phase, 'create')).toEqual({ count: 60, errors: 0 });
    expect(server).toEqual({ create: { ok: 60, error: 0 }, complete: { ok: 60, error: 0 } });
    expectServerSawExactly(report.phases, server);
    expect(await summary('/nb')).toEqual({ files: 60, dirs: 1 + 6 });
  });

  it('fileStatus and listStatus over the existing files', async () => {
    const stat = await nnbench({ op: 'fileStatus', root: '/nb', useExisting: true });
    expect(stat.report.phases).toHaveLength(1);
    expect(op(stat.report.phases[0], 'fileStatus')).toEqual({ count: 60, errors: 0 });
    expect(stat.server).toEqual({ getFileInfo: { ok: 60, error: 0 } });
    const list = await nnbench({ op: 'listStatus', root: '/nb', useExisting: true });
    expect(op(list.report.phases[0], 'listStatus')).toEqual({ count: 6, errors: 0 });
    expect(list.server).toEqual({ getListing: { ok: 6, error: 0 } });
  });

  it('fileStatus with a duration cycles over the files until the time is up', async () => {
    const { report, server } = await nnbench({ op: 'fileStatus', root: '/nb', useExisting: true, durationSeconds: 1 });
    const counted = op(report.phases[0], 'fileStatus');
    // A figure, not a floor: how far past the 60 files it cycled depends on the machine.
    console.log(`fileStatus for 1 s: ${counted.count} calls over 60 files`);
    expect(counted.count).toBeGreaterThan(0);
    expect(counted.errors).toBe(0);
    expect(server).toEqual({ getFileInfo: { ok: counted.count, error: 0 } });
  });

  it('rename: every file now has its new name', async () => {
    const { report, server } = await nnbench({ op: 'rename', root: '/nb', useExisting: true });
    expect(op(report.phases[0], 'rename')).toEqual({ count: 60, errors: 0 });
    expect(server).toEqual({ rename: { ok: 60, error: 0 } });
    const names = (await probe.getListing('/nb/dir0'))?.partialListing?.map((s) => Buffer.from(s.path).toString()) ?? [];
    expect(names.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `file${i}.renamed`).sort());
  });

  it('mkdirs: the directories exist', async () => {
    const { report, server } = await nnbench({ op: 'mkdirs', root: '/nbm', files: 30 });
    expect(op(report.phases[0], 'mkdirs')).toEqual({ count: 30, errors: 0 });
    expect(server).toEqual({ mkdirs: { ok: 30, error: 0 } });
    expect(await summary('/nbm')).toEqual({ files: 0, dirs: 1 + 3 + 30 });
  });

  it('create --useExisting spreads new files round-robin over the existing directories', async () => {
    const { report, server } = await nnbench({ op: 'create', root: '/nbm', files: 30, useExisting: true });
    expect(op(report.phases[0], 'create')).toEqual({ count: 30, errors: 0 });
    expect(server).toEqual({ create: { ok: 30, error: 0 }, complete: { ok: 30, error: 0 } });
    expect(await summary('/nbm')).toEqual({ files: 30, dirs: 1 + 3 + 30 });
    for (const d of [0, 1, 2]) expect(await summary(`/nbm/dir${d}`)).toEqual({ files: 10, dirs: 1 + 10 });
  });

  it('delete after its own setup: the files are gone', async () => {
    const { report, server } = await nnbench({ op: 'delete', root: '/nbd', files: 20 });
    expect(report.phases.map((p) => p.name)).toEqual(['nnbench setup: mkdirs 2 dirs', 'nnbench setup: create 20 files', 'nnbench delete']);
    expect(op(report.phases[2], 'delete')).toEqual({ count: 20, errors: 0 });
    expectServerSawExactly(report.phases, server);
    expect(server['delete']).toEqual({ ok: 20, error: 0 });
    expect(await summary('/nbd')).toEqual({ files: 0, dirs: 1 + 2 });
  });

  it('open: every file of its setup opens (getBlockLocations of an existing empty file answers, as HDFS does)', async () => {
    const { report, server } = await nnbench({ op: 'open', root: '/nbo', files: 10 });
    const last = report.phases.at(-1);
    expect(op(last, 'open')).toEqual({ count: 10, errors: 0 });
    expect(last?.ops[0]?.errorsByClass).toEqual({});
    expect(last?.rpcCalls).toEqual({ getBlockLocations: 10 });
    expect(server['getBlockLocations']).toEqual({ ok: 10, error: 0 });
    expectServerSawExactly(report.phases, server);
    expect(report.dataPath).toMatch(/metadata only/);
  });
});

describe('spotify end to end', () => {
  it('runs the mix; the namespace reflects exactly the creates, deletes and mkdirs counted', async () => {
    const options: SpotifyOptions = { threads: 4, durationSeconds: 2, dirs: 5, filesPerDir: 10, root: '/sp', seed: 1, useExisting: false, group: 'supergroup' };
    const { report, server } = await measured(() => runLoadgen('spotify', common(), options, runSpotify, quiet()));
    const mix = report.phases.at(-1);
    expect(mix?.name).toBe('spotify mix');
    console.log(`spotify mix for 2 s: ${mix?.totalOps} operations`);
    expect(mix?.totalOps).toBeGreaterThan(0);
    expectServerSawExactly(report.phases, server);
    const created = op(mix, 'createFile').count;
    const deleted = op(mix, 'deleteFile').count;
    const made = op(mix, 'mkdirs').count;
    expect(await summary('/sp')).toEqual({ files: 50 + created - deleted, dirs: 1 + 5 + made });
    // Errors only where a client raced another's rename or delete, reads included.
    const raceClasses = new Set(['NoFileStatus', 'java.io.FileNotFoundException', 'ResultFalse']);
    for (const o of mix?.ops ?? []) expect({ op: o.op, unexpected: Object.keys(o.errorsByClass).filter((c) => !raceClasses.has(c)) }).toEqual({ op: o.op, unexpected: [] });
    expect(op(mix, 'readFile').count).toBeGreaterThan(0);
    expect(op(mix, 'statFile').count).toBeGreaterThan(0);
    expect(op(mix, 'listDir').count).toBeGreaterThan(0);
  });
});

describe('one Spotify mix over two phases (the bench\'s warm-up, then its measured pass)', () => {
  it('the second phase goes on from the namespace the first left: no replayed names, no deleted or renamed paths picked again', async () => {
    const layout = new NamespaceLayout('/sp2', 40, 10);
    const pool = await ClientPool.open({ namenodes: [fx.address], user: fx.superuser, connections: 1 });
    try {
      const ctx = { pool, fileData: new MetadataOnlyFileDataClient(), progress: createProgressReporter('none'), user: fx.superuser };
      await buildNamespace(ctx, layout, 4, 'namespace');
      // One thread: no worker races another, so any error is the mix picking a path that is no longer there.
      const mix = new SpotifyMix(layout, { threads: 1, seed: 7, group: 'supergroup' });
      const phases = [await mix.phase(ctx, 'warm-up', 1.5), await mix.phase(ctx, 'measured', 1.5)];
      const total = (name: string): number => phases.reduce((n, p) => n + op(p, name).count, 0);
      console.log(`two phases: ${phases.map((p) => p.totalOps).join(' + ')} operations; creates ${total('createFile')}, renames ${total('renameFile')}, deletes ${total('deleteFile')}`);
      for (const p of phases) expect({ phase: p.name, errors: p.totalErrors }).toEqual({ phase: p.name, errors: 0 });
      expect(op(phases[1], 'createFile').count).toBeGreaterThan(0);
      // A second phase that started over would overwrite the first one's new files instead of adding its own.
      expect(await summary('/sp2')).toEqual({ files: 40 + total('createFile') - total('deleteFile'), dirs: 1 + 4 + total('mkdirs') });
    } finally {
      await pool.close();
    }
  });
});

describe('slg end to end, metadata only', () => {
  it('generates the structure, then leaves it as generated after a timed load', async () => {
    const options: SlgOptions = {
      root: '/slg',
      maxDepth: 3,
      minWidth: 1,
      maxWidth: 3,
      numOfFiles: 20,
      avgFileSize: 1,
      blockSize: 1024 * 1024,
      readProbability: 0.3,
      writeProbability: 0.3,
      numOfThreads: 4,
      maxDelayBetweenOps: 0,
      elapsedTime: 2,
      seed: 17,
    };
    const expected = generateSlgStructure(options, new SeededRandom(options.seed));
    const { report, server } = await measured(() => runLoadgen('slg', common(), options, runSlg, quiet()));
    expect(report.phases).toHaveLength(4);
    const [mkdirsPhase, dataPhase, load, cleanup] = report.phases;
    expect(op(mkdirsPhase, 'mkdirs')).toEqual({ count: expected.leaves.length, errors: 0 });
    expect(op(dataPhase, 'write')).toEqual({ count: 20, errors: 0 });
    const writes = op(load, 'write').count;
    expect(writes).toBeGreaterThan(0);
    expect(op(load, 'list').count).toBeGreaterThan(0);
    // Every load write was followed by its delete, in the load or in the cleanup.
    expect(op(load, 'delete').count + op(cleanup, 'delete').count).toBe(writes);
    expect(server['create']?.ok).toBe(20 + writes);
    expect(server['delete']?.ok).toBe(writes);
    expectServerSawExactly(report.phases, server);
    expect(await summary('/slg')).toEqual({ files: 20, dirs: expected.dirs.length });
  });
});
