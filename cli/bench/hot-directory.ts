import { ClientPool } from '../../loadgen/client-pool';
import type { RowLockWaits } from './row-lock-status';

/** One timed run of creates (create + complete of an empty file, as NNThroughputBenchmark's create). */
export interface CreateRun {
  readonly label: string;
  readonly files: number;
  readonly threads: number;
  readonly seconds: number;
  readonly createsPerSec: number;
  /** InnoDB row lock waits during the run (when the caller can read the database's status). */
  readonly rowLockWaits?: RowLockWaits;
}

/** Creates into one directory against spread over 100, and under a quota root against without. */
export interface HotDirectoryResult {
  readonly runs: readonly CreateRun[];
  /** creates/s into one directory ÷ spread over 100 (1.0: the directory is no bottleneck). */
  readonly oneDirRatio: number;
  /** creates/s under a quota root ÷ without (undefined when the namenode refused setQuota). */
  readonly quotaRatio: number | undefined;
}

export interface HotDirectoryOptions {
  readonly files: number;
  readonly threads: number;
  readonly root: string;
  /** Also the run under a quota root (a namenode without quotas refuses setQuota). */
  readonly quota: boolean;
  /** Reads the database's row lock wait counters, to say what the creates queued on. */
  readonly rowLocks?: () => Promise<RowLockWaits>;
}

const SPREAD = 100;

async function timedCreates(pool: ClientPool, o: HotDirectoryOptions, label: string, pathOf: (i: number) => string): Promise<CreateRun> {
  const { files, threads } = o;
  const locksBefore = await o.rowLocks?.();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: threads }, async (_, w) => {
      const client = pool.forWorker(w);
      for (let i = next++; i < files; i = next++) {
        await client.create(pathOf(i), { overwrite: true, replication: 1 });
        if (!(await client.complete(pathOf(i)))) throw new Error(`complete ${pathOf(i)} answered false`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const locksAfter = await o.rowLocks?.();
  const rowLockWaits = locksBefore && locksAfter ? { waits: locksAfter.waits - locksBefore.waits, waitMs: locksAfter.waitMs - locksBefore.waitMs } : undefined;
  return { label, files, threads, seconds, createsPerSec: files / seconds, ...(rowLockWaits ? { rowLockWaits } : {}) };
}

async function makeDirs(pool: ClientPool, base: string): Promise<void> {
  const client = pool.forWorker(0);
  await Promise.all(Array.from({ length: SPREAD }, (_, d) => client.mkdirs(`${base}/d${d}`)));
}

/**
 * The hot-directory measurement: the same number of creates from the same
 * workers into one directory, then spread over 100 directories, then
 * spread over 100 directories under one quota root (namespace and space
 * quotas far from full, so every create charges the root's usage).
 */
export async function measureHotDirectory(address: string, user: string, o: HotDirectoryOptions): Promise<HotDirectoryResult> {
  const pool = await ClientPool.open({ namenodes: [address], user, connections: o.threads });
  try {
    const admin = pool.forWorker(0);
    await admin.mkdirs(`${o.root}/one`);
    await makeDirs(pool, `${o.root}/spread`);
    const one = await timedCreates(pool, o, 'into one directory', (i) => `${o.root}/one/f${i}`);
    const spread = await timedCreates(pool, o, `spread over ${SPREAD} directories`, (i) => `${o.root}/spread/d${i % SPREAD}/f${i}`);
    const runs = [one, spread];
    let quotaRatio: number | undefined;
    if (o.quota) {
      await makeDirs(pool, `${o.root}/quota`);
      await admin.setQuota(`${o.root}/quota`, 10 * o.files + 1000, 1 << 40);
      const quota = await timedCreates(pool, o, `spread over ${SPREAD} directories under a quota root`, (i) => `${o.root}/quota/d${i % SPREAD}/f${i}`);
      runs.push(quota);
      quotaRatio = quota.createsPerSec / spread.createsPerSec;
    }
    return { runs, oneDirRatio: one.createsPerSec / spread.createsPerSec, quotaRatio };
  } finally {
    await pool.close();
  }
}

/** The result as lines of text. */
export function hotDirectoryText(r: HotDirectoryResult): string {
  const locks = (x: CreateRun) => (x.rowLockWaits ? `  ${x.rowLockWaits.waits} row lock waits, ${x.rowLockWaits.waitMs} ms waiting` : '');
  const lines = r.runs.map(
    (x) => `${x.label.padEnd(52)} ${String(x.files).padStart(7)} creates  ${x.threads} threads  ${x.seconds.toFixed(1).padStart(6)} s  ${x.createsPerSec.toFixed(0).padStart(6)} creates/s${locks(x)}`,
  );
  lines.push(`one directory / spread over 100: ${r.oneDirRatio.toFixed(2)}`);
  if (r.quotaRatio !== undefined) lines.push(`under a quota root / without: ${r.quotaRatio.toFixed(2)}`);
  return ['hot directories and quotas (create + complete of empty files)', ...lines].join('\n');
}
