import type mysql from 'mysql2/promise';
import { join } from 'node:path';
import { spawnNamenode, type NamenodeChild } from '../fleet/namenode-child';
import { startHaproxy } from '../local/haproxy';
import { ClientPool } from '../../loadgen/client-pool';
import type { FileDataClient } from '../../loadgen/file-data-client';
import type { PhaseResult } from '../../loadgen/loadgen-result';
import type { NamespaceLayout } from '../../loadgen/namespace-layout';
import { runNnbench } from '../../loadgen/nnbench-mode';
import type { ProgressReporter } from '../../loadgen/progress-reporter';
import { readStatementCounts, statementDelta } from './db-status';
import { processCpuMicros } from '../../loadgen/process-cpu';

const WARM_UP_SECONDS = 2;
const IDLE_SAMPLE_MS = 2000;

export interface FleetScalingOptions {
  /** Holds haproxy's files and the second namenode's log. */
  readonly dir: string;
  readonly mysqlUrl: string;
  /** The namenode already running; a second one is started beside it on the same database. */
  readonly first: NamenodeChild;
  readonly mariadbPid: number;
  /** For SHOW GLOBAL STATUS around each run. */
  readonly dbPool: mysql.Pool;
  readonly layout: NamespaceLayout;
  readonly threads: number;
  readonly seconds: number;
  readonly user: string;
  readonly fileData: FileDataClient;
  readonly progress: ProgressReporter;
  readonly opTimeoutMs: number;
}

/** CPU µs per operation of each process taking part, over one measured run. */
export interface FleetCpuPerOp {
  /** One entry per namenode, in start order. */
  readonly namenodes: readonly number[];
  readonly loadgen: number;
  readonly haproxy: number;
  readonly mariadb: number;
}

export interface FleetScalingRun {
  readonly namenodes: number;
  readonly phase: PhaseResult;
  readonly cpuMicrosPerOp: FleetCpuPerOp;
  /** Server statements (db-status.ts) per operation, fleet-wide. */
  readonly dbStatementsPerOp: number;
  /** Each namenode's CPU use with no client load just before the run, % of one core: its background work. */
  readonly idleCpuPercent: readonly number[];
}

/**
 * Aggregate fileStatus through haproxy with one namenode, then with two on
 * the same database, each run with the same client threads. Every process's
 * CPU is read from /proc around the run, so the report can say what bounds
 * the aggregate when the machine has few cores.
 */
export async function measureFleetScaling(o: FleetScalingOptions): Promise<FleetScalingRun[]> {
  // The second namenode starts only after the first is measured alone: a live peer is part of what is measured.
  const alone = await measureBehindHaproxy(o, [o.first]);
  const second = await spawnNamenode({
    name: 'bench-namenode-2',
    host: '127.0.0.1',
    rpcPort: 0,
    httpPort: 0,
    mysqlUrl: o.mysqlUrl,
    logDir: join(o.dir, 'logs'),
    logLevel: 'warn',
  });
  try {
    return [alone, await measureBehindHaproxy(o, [o.first, second])];
  } finally {
    await second.stop();
  }
}

async function measureBehindHaproxy(o: FleetScalingOptions, namenodes: readonly NamenodeChild[]): Promise<FleetScalingRun> {
  const idleBefore = namenodes.map((nn) => processCpuMicros(nn.pid));
  const idleStart = performance.now();
  await new Promise((r) => setTimeout(r, IDLE_SAMPLE_MS));
  const idleMicros = (performance.now() - idleStart) * 1000;
  const idleCpuPercent = namenodes.map((nn, i) => ((processCpuMicros(nn.pid) - (idleBefore[i] ?? 0)) / idleMicros) * 100);
  const haproxy = await startHaproxy({
    dir: join(o.dir, 'haproxy'),
    host: '127.0.0.1',
    rpcPort: 0,
    httpPort: 0,
    namenodes: namenodes.map((nn) => ({ name: nn.name, host: '127.0.0.1', rpcPort: nn.rpcPort, httpPort: nn.httpPort })),
  });
  let pool: ClientPool | undefined;
  try {
    pool = await ClientPool.open({ namenodes: [`127.0.0.1:${haproxy.rpcPort}`], user: o.user, connections: o.threads });
    const ctx = { pool, fileData: o.fileData, progress: o.progress, user: o.user, opTimeoutMs: o.opTimeoutMs };
    const fileStatus = (seconds: number) =>
      runNnbench(ctx, {
        op: 'fileStatus',
        threads: o.threads,
        files: o.layout.files,
        filesPerDir: o.layout.filesPerDir,
        useExisting: true,
        root: o.layout.root,
        durationSeconds: seconds,
      });
    // A namenode that just started has cold caches: warm it (unmeasured), so both runs compare steady states.
    await fileStatus(WARM_UP_SECONDS);
    const pids = { namenodes: namenodes.map((nn) => nn.pid), loadgen: process.pid, haproxy: haproxy.pid, mariadb: o.mariadbPid };
    const before = cpuOf(pids);
    const stmts = await readStatementCounts(o.dbPool);
    const phases = await fileStatus(o.seconds);
    const after = cpuOf(pids);
    const statements = statementDelta(stmts, await readStatementCounts(o.dbPool));
    const phase = phases[phases.length - 1] as PhaseResult;
    const ops = Math.max(1, phase.totalOps + phase.totalErrors);
    const perOp = (a: number, b: number): number => (a - b) / ops;
    return {
      namenodes: namenodes.length,
      phase: { ...phase, name: `fleet: fileStatus through haproxy, ${namenodes.length} namenode(s)` },
      cpuMicrosPerOp: {
        namenodes: after.namenodes.map((a, i) => perOp(a, before.namenodes[i] ?? 0)),
        loadgen: perOp(after.loadgen, before.loadgen),
        haproxy: perOp(after.haproxy, before.haproxy),
        mariadb: perOp(after.mariadb, before.mariadb),
      },
      dbStatementsPerOp: statements.Statements / ops,
      idleCpuPercent,
    };
  } finally {
    await pool?.close();
    await haproxy.stop();
  }
}

interface Pids {
  readonly namenodes: readonly number[];
  readonly loadgen: number;
  readonly haproxy: number;
  readonly mariadb: number;
}

function cpuOf(p: Pids): { namenodes: number[]; loadgen: number; haproxy: number; mariadb: number } {
  return {
    namenodes: p.namenodes.map(processCpuMicros),
    loadgen: processCpuMicros(p.loadgen),
    haproxy: processCpuMicros(p.haproxy),
    mariadb: processCpuMicros(p.mariadb),
  };
}
