import { fixedLengthSource } from '../protocol/client/block-writer';
import { writeNewBlock } from '../protocol/client/file-writer';
import { completeWithBackoff } from '../protocol/client/locate-following-block';
import type { NamenodeClient } from '../protocol/client/namenode-client';
import { patternBytes } from './data/file-pattern';
import { LatencyHistogram, type LatencySummary } from './latency-histogram';
import { fmt, formatTextTable, type TextColumn } from './text-table';

/** The steps of one small file's write, in order, as a Hadoop client takes them. */
export const SMALL_FILE_STEPS = ['create', 'addBlock', 'pipeline setup', 'packets + acks', 'complete'] as const;
export type SmallFileStep = (typeof SMALL_FILE_STEPS)[number];

export interface SmallFilesOptions {
  /** Connections to spread the writers over; a file stays on one (its lease holder). */
  readonly clients: readonly NamenodeClient[];
  readonly files: number;
  readonly threads: number;
  /** Bytes per file: at most a block, so a file is create, one addBlock, one pipeline, complete. */
  readonly bytes: number;
  readonly replication: number;
  readonly dir: string;
  /** Called after each file written (a progress line's tick). */
  readonly onFile?: () => void;
}

export interface SmallFilesResult {
  readonly files: number;
  readonly threads: number;
  readonly bytes: number;
  readonly replication: number;
  readonly seconds: number;
  readonly filesPerSecond: number;
  /** One file, create to complete's true. */
  readonly latency: LatencySummary;
  readonly steps: readonly { readonly step: SmallFileStep; readonly latency: LatencySummary }[];
  /** Namenode calls per file, by method (complete above 1: it answered false and was retried). */
  readonly rpcsPerFile: Readonly<Record<string, number>>;
}

/** dfs.blocksize: a small file's one block is asked for at the default size, as `hdfs put` does. */
const BLOCK_SIZE = 128 * 1024 * 1024;
const CONNECT_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 60_000;

/**
 * Small files with real bytes, written in this process the way a Hadoop
 * client writes them: create, addBlock, one WRITE_BLOCK pipeline through
 * `replication` datanodes (packets, every ack awaited; one that cannot be
 * set up is abandoned and asked for again without the bad node), complete retried
 * with DFSOutputStream's backoff while it answers false. `threads`
 * closed-loop writers share `files` names under `dir`, which must exist.
 * Each step is timed on its own, so a file's latency can be taken apart.
 */
export async function writeSmallFiles(o: SmallFilesOptions): Promise<SmallFilesResult> {
  if (o.bytes > BLOCK_SIZE) throw new Error(`a small file is at most one block (${BLOCK_SIZE} bytes)`);
  const total = new LatencyHistogram();
  const steps = new Map(SMALL_FILE_STEPS.map((s) => [s, new LatencyHistogram()]));
  const record = (step: SmallFileStep, from: number, to: number): void => steps.get(step)?.recordMicros((to - from) * 1000);
  const rpcs = new Map<string, number>();
  const counted = o.clients.map((c) => c.counter);
  for (const c of new Set(counted)) c.drain();

  const writeOne = async (client: NamenodeClient, path: string): Promise<void> => {
    const t0 = performance.now();
    await client.create(path, { overwrite: true, blockSize: BLOCK_SIZE, replication: o.replication });
    const t1 = performance.now();
    let t2: number | undefined;
    let t3 = t1;
    // A pipeline that could not be set up is given up and asked for again: that time counts as setup.
    const block = await writeNewBlock({
      client,
      path,
      previous: undefined,
      next: fixedLengthSource(o.bytes, patternBytes),
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      socketTimeoutMs: SOCKET_TIMEOUT_MS,
      onAllocated: () => void (t2 ??= performance.now()),
      onSetup: () => void (t3 = performance.now()),
    });
    const t4 = performance.now();
    t2 ??= t1;
    await completeWithBackoff(client, path, block);
    const t5 = performance.now();
    record('create', t0, t1);
    record('addBlock', t1, t2);
    record('pipeline setup', t2, t3);
    record('packets + acks', t3, t4);
    record('complete', t4, t5);
    total.recordMicros((t5 - t0) * 1000);
    o.onFile?.();
  };

  let next = 0;
  const worker = async (w: number): Promise<void> => {
    const client = o.clients[w % o.clients.length] as NamenodeClient;
    while (next < o.files) await writeOne(client, `${o.dir}/f${next++}`);
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(o.threads, o.files) }, (_, w) => worker(w)));
  const seconds = (performance.now() - t0) / 1000;
  for (const c of new Set(counted)) for (const [m, n] of Object.entries(c.drain())) rpcs.set(m, (rpcs.get(m) ?? 0) + n);
  return {
    files: o.files,
    threads: o.threads,
    bytes: o.bytes,
    replication: o.replication,
    seconds,
    filesPerSecond: o.files / seconds,
    latency: total.summary(),
    steps: SMALL_FILE_STEPS.map((step) => ({ step, latency: (steps.get(step) as LatencyHistogram).summary() })),
    rpcsPerFile: Object.fromEntries([...rpcs].sort(([a], [b]) => a.localeCompare(b)).map(([m, n]) => [m, n / o.files])),
  };
}

const STEP_COLUMNS: readonly TextColumn[] = [
  { title: 'step' },
  { title: 'mean ms', align: 'right' },
  { title: 'p50 ms', align: 'right' },
  { title: 'p99 ms', align: 'right' },
  { title: 'share of mean', align: 'right' },
];

/** The headline line, then where a file's time goes, step by step. */
export function smallFilesText(r: SmallFilesResult): string {
  const rpcs = Object.entries(r.rpcsPerFile).map(([m, n]) => `${m} ${fmt(n, 2)}`).join(', ');
  const head =
    `${r.files} files of ${r.bytes} bytes, replication ${r.replication}, ${r.threads} threads: ${fmt(r.filesPerSecond, 0)} files/s, ` +
    `p50 ${fmt(r.latency.p50Ms, 1)} ms, p99 ${fmt(r.latency.p99Ms, 1)} ms; namenode calls per file: ${rpcs}`;
  const rows = r.steps.map((s) => [
    s.step,
    fmt(s.latency.meanMs, 2),
    fmt(s.latency.p50Ms, 2),
    fmt(s.latency.p99Ms, 2),
    r.latency.meanMs > 0 ? `${fmt((100 * s.latency.meanMs) / r.latency.meanMs, 0)} %` : '-',
  ]);
  return `${head}\n${formatTextTable(STEP_COLUMNS, [...rows, ['file', fmt(r.latency.meanMs, 2), fmt(r.latency.p50Ms, 2), fmt(r.latency.p99Ms, 2), '100 %']])}`;
}
