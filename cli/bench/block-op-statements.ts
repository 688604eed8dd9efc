import type mysql from 'mysql2/promise';
import { fixedLengthSource } from '../../protocol/client/block-writer';
import { writeNewBlock } from '../../protocol/client/file-writer';
import { patternBytes } from '../../loadgen/data/file-pattern';
import { addBlockWithBackoff, completeWithBackoff } from '../../protocol/client/locate-following-block';
import type { ExtendedBlock, LocatedBlock, NamenodeClient } from '../../protocol/client/namenode-client';
import { readStatementCounts, statementDelta, STATEMENT_COUNTERS, type StatementCounts } from './db-status';
import { processCpuMicros } from '../../loadgen/process-cpu';

export interface BlockOpStatementsOptions {
  /** Connections to spread the files over; each file stays on one (its lease holder). */
  readonly clients: readonly NamenodeClient[];
  readonly dbPool: mysql.Pool;
  readonly files: number;
  /** Bytes per file: less than a block, so each file is create, one addBlock, one pipeline, complete. */
  readonly bytes: number;
  readonly replication: number;
  readonly dir: string;
  /** Processes whose CPU each step is charged, per call (the background's not subtracted). */
  readonly cpuPids?: { readonly namenode?: number; readonly database?: number };
}

export interface BlockOpStatementsRow {
  /** create, addBlock, datanode reports (per block), complete. */
  readonly step: string;
  readonly calls: number;
  readonly seconds: number;
  /** Statement counter → per call, the database's idle background subtracted. */
  readonly perCall: StatementCounts;
  /** CPU µs per call over the step (including any settle time): the namenode's and the database's, when their pids were given. */
  readonly namenodeCpuMicros?: number;
  readonly databaseCpuMicros?: number;
}

/** Idle time over which the background statement rate (heartbeats, housekeeping) is measured. */
const BASELINE_MS = 2000;
/** Incremental block reports are batched for 50 ms; this leaves them time to arrive. */
const REPORT_SETTLE_MS = 1500;
const CONCURRENCY = 16;

/**
 * The namenode's database cost of each step of writing small files, taken
 * one step at a time over many files so each step's SHOW GLOBAL STATUS
 * delta divides by its own calls: create, addBlock, the datanodes'
 * incremental reports of the written replicas, complete.
 */
export async function measureBlockOpStatements(o: BlockOpStatementsOptions): Promise<BlockOpStatementsRow[]> {
  const paths = Array.from({ length: o.files }, (_, i) => `${o.dir}/small${i}`);
  const clientOf = (i: number): NamenodeClient => o.clients[i % o.clients.length] as NamenodeClient;
  const background = await backgroundRate(o.dbPool);
  const cpuNow = (): { namenode?: number; database?: number } => ({
    ...(o.cpuPids?.namenode === undefined ? {} : { namenode: processCpuMicros(o.cpuPids.namenode) }),
    ...(o.cpuPids?.database === undefined ? {} : { database: processCpuMicros(o.cpuPids.database) }),
  });
  const rows: BlockOpStatementsRow[] = [];
  const step = async (name: string, run: () => Promise<void>, settleMs = 0): Promise<void> => {
    const before = await readStatementCounts(o.dbPool);
    const cpuBefore = cpuNow();
    const t0 = performance.now();
    await run();
    if (settleMs > 0) await new Promise((r) => setTimeout(r, settleMs));
    const ms = performance.now() - t0;
    const cpuAfter = cpuNow();
    const delta = statementDelta(before, await readStatementCounts(o.dbPool));
    const perCall = Object.fromEntries(
      STATEMENT_COUNTERS.map((c) => [c, Math.max(0, delta[c] - background[c] * ms) / o.files]),
    ) as StatementCounts;
    const cpu = (k: 'namenode' | 'database'): number | undefined =>
      cpuAfter[k] === undefined || cpuBefore[k] === undefined ? undefined : (cpuAfter[k] - cpuBefore[k]) / o.files;
    const [nn, db] = [cpu('namenode'), cpu('database')];
    rows.push({ step: name, calls: o.files, seconds: ms / 1000, perCall, ...(nn === undefined ? {} : { namenodeCpuMicros: nn }), ...(db === undefined ? {} : { databaseCpuMicros: db }) });
  };

  await o.clients[0]?.mkdirs(o.dir);
  await step('create', () => eachConcurrently(paths, (p, i) => clientOf(i).create(p, { overwrite: true, replication: o.replication })));
  const located: LocatedBlock[] = new Array<LocatedBlock>(o.files);
  await step('addBlock', () =>
    eachConcurrently(paths, async (p, i) => {
      located[i] = await addBlockWithBackoff(clientOf(i), p, undefined, []);
    }),
  );
  const written: ExtendedBlock[] = new Array<ExtendedBlock>(o.files);
  // A pipeline that cannot be set up (a datanode gone but not yet stale) is abandoned and asked for again here.
  await step(
    'datanode reports, per block',
    () =>
      eachConcurrently(paths, async (p, i) => {
        written[i] = await writeNewBlock({
          client: clientOf(i),
          path: p,
          previous: undefined,
          allocated: located[i] as LocatedBlock,
          next: fixedLengthSource(o.bytes, patternBytes),
          connectTimeoutMs: 10_000,
          socketTimeoutMs: 60_000,
        });
      }),
    REPORT_SETTLE_MS,
  );
  await step('complete', () => eachConcurrently(paths, (p, i) => completeWithBackoff(clientOf(i), p, written[i] as ExtendedBlock)));
  await o.clients[0]?.delete(o.dir, true);
  return rows;
}

/** Statements per ms while nothing but the fleet's own background runs. */
async function backgroundRate(pool: mysql.Pool): Promise<StatementCounts> {
  const before = await readStatementCounts(pool);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, BASELINE_MS));
  const delta = statementDelta(before, await readStatementCounts(pool));
  const ms = performance.now() - t0;
  return Object.fromEntries(STATEMENT_COUNTERS.map((c) => [c, delta[c] / ms])) as StatementCounts;
}

async function eachConcurrently<T>(items: readonly T[], fn: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}
