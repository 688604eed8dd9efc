import type mysql from 'mysql2/promise';
import type { SummaryTable } from '../../loadgen/html-report';
import { allProcessesCpu, busiestBetween, machineCpu, processCpuMicros, processCpuTimes } from '../../loadgen/process-cpu';
import { smallFilesText, type SmallFilesResult } from '../../loadgen/small-files';
import { fmt } from '../../loadgen/text-table';
import { readStatementCounts, statementDelta } from './db-status';
import { SmallFilesClient, type SmallFilesClientRun } from './small-files-client-main';

/** The client's run (where to write what), and the processes whose counters bracket it. */
export interface SmallFilesRun extends SmallFilesClientRun {
  readonly dbPool: mysql.Pool;
  readonly namenodePid: number;
  readonly datanodePids: readonly number[];
  /** MariaDB's process, when it runs on this machine: its CPU per file is reported too. */
  readonly databasePid?: number;
  /** performance.now() marks around the measured writes (a profiler's window). */
  readonly onMark?: (mark: 'start' | 'end') => void;
  /** Leave the client's directory (more rounds follow on this fleet; it goes with the fleet). */
  readonly keepDir?: boolean;
}

export interface SmallFilesFigures {
  readonly result: SmallFilesResult;
  /** The server's statements (db-status.ts) per file over the measured writes (heartbeats included: a few per second). */
  readonly statementsPerFile: number;
  readonly commitsPerFile: number;
  readonly namenodeCpuMicrosPerFile: number;
  /** The datanode processes' CPU summed, per file (every replica's share). */
  readonly datanodeCpuMicrosPerFile: number;
  /** The system (kernel) part of it: file creation, renames, sockets. */
  readonly datanodeSystemMicrosPerFile: number;
  /** MariaDB's CPU per file, when its pid was given. */
  readonly databaseCpuMicrosPerFile?: number;
  /** The system (kernel) part of it: sockets, the redo log's writes and fsyncs. */
  readonly databaseSystemMicrosPerFile?: number;
  /** The client process's CPU per file: the writers (the client side of every file). */
  readonly clientCpuMicrosPerFile: number;
  /**
   * The whole machine's busy time per file (/proc/stat) less the processes
   * above: this process, MariaDB when its pid was not given, and anything
   * else running on the box meanwhile.
   */
  readonly othersCpuMicrosPerFile: number;
  /** Of the others: the hypervisor's steal, which no process's CPU time counts. */
  readonly stealMicrosPerFile: number;
  /**
   * The machine's irq + softirq time per file. This kernel accounts CPU by
   * ticks (no IRQ_TIME_ACCOUNTING), so it is already inside the CPU of the
   * processes it interrupted, not inside the others.
   */
  readonly interruptMicrosPerFile: number;
  /** The busiest of those others (alive at the end), CPU µs per file each. */
  readonly busiestOthers: readonly { readonly name: string; readonly microsPerFile: number }[];
}

/** How many of the other processes the per-file line names. */
const BUSIEST_OTHERS = 3;

/** The issue's target for small files (4 KiB, replication 3, 16 threads). */
export const SMALL_FILES_TARGET = { filesPerSecond: 1000, p50Ms: 30 } as const;

/**
 * Small files written with real bytes through running datanodes by a
 * client process of its own (SmallFilesClient), one connection per writer,
 * with the namenode's database statements and the CPU of the namenode, the
 * datanodes and the client per file, sampled around the measured files.
 */
export async function measureSmallFiles(o: SmallFilesRun): Promise<SmallFilesFigures> {
  const client = await SmallFilesClient.start(o);
  try {
    const dnCpu = (): number => o.datanodePids.reduce((a, pid) => a + processCpuMicros(pid), 0);
    const dnSys = (): number => o.datanodePids.reduce((a, pid) => a + processCpuTimes(pid).systemMicros, 0);
    const dbCpu = (): number => (o.databasePid === undefined ? 0 : processCpuMicros(o.databasePid));
    const dbSys = (): number => (o.databasePid === undefined ? 0 : processCpuTimes(o.databasePid).systemMicros);
    const before = { db: await readStatementCounts(o.dbPool), nn: processCpuMicros(o.namenodePid), dn: dnCpu(), dnSys: dnSys(), dbCpu: dbCpu(), dbSys: dbSys(), machine: machineCpu(), all: allProcessesCpu() };
    o.onMark?.('start');
    const { result, cpuMicros } = await client.measure();
    o.onMark?.('end');
    const nn = processCpuMicros(o.namenodePid) - before.nn;
    const dn = dnCpu() - before.dn;
    const dnSystem = dnSys() - before.dnSys;
    const mariadb = dbCpu() - before.dbCpu;
    const mariadbSystem = dbSys() - before.dbSys;
    const after = machineCpu();
    const machine = after.busyMicros - before.machine.busyMicros;
    const counted = new Set([o.namenodePid, ...o.datanodePids, ...(o.databasePid === undefined ? [] : [o.databasePid]), client.pid]);
    const busiest = busiestBetween(before.all, allProcessesCpu(), counted, BUSIEST_OTHERS);
    const db = statementDelta(before.db, await readStatementCounts(o.dbPool));
    await client.done(o.keepDir);
    return {
      result,
      statementsPerFile: db.Statements / o.files,
      commitsPerFile: db.Com_commit / o.files,
      namenodeCpuMicrosPerFile: nn / o.files,
      datanodeCpuMicrosPerFile: dn / o.files,
      datanodeSystemMicrosPerFile: dnSystem / o.files,
      ...(o.databasePid === undefined ? {} : { databaseCpuMicrosPerFile: mariadb / o.files, databaseSystemMicrosPerFile: mariadbSystem / o.files }),
      clientCpuMicrosPerFile: cpuMicros / o.files,
      othersCpuMicrosPerFile: Math.max(0, machine - nn - dn - mariadb - cpuMicros) / o.files,
      stealMicrosPerFile: (after.stealMicros - before.machine.stealMicros) / o.files,
      interruptMicrosPerFile: (after.interruptMicros - before.machine.interruptMicros) / o.files,
      busiestOthers: busiest.map((p) => ({ name: p.name, microsPerFile: p.micros / o.files })),
    };
  } finally {
    await client.kill();
  }
}

/** The headline with its target, the costs per file, then the per-step latencies. */
export function smallFilesFiguresText(f: SmallFilesFigures): string {
  const r = f.result;
  const t = SMALL_FILES_TARGET;
  return [
    `small files: ${fmt(r.filesPerSecond, 0)} files/s (target ≥ ${t.filesPerSecond}), p50 ${fmt(r.latency.p50Ms, 1)} ms (target ≤ ${t.p50Ms}), p99 ${fmt(r.latency.p99Ms, 1)} ms`,
    `per file: ${fmt(f.statementsPerFile, 1)} DB statements (${fmt(f.commitsPerFile, 2)} commits), namenode CPU ${fmt(f.namenodeCpuMicrosPerFile, 0)} µs, ` +
      `datanodes' CPU ${fmt(f.datanodeCpuMicrosPerFile, 0)} µs (${fmt(f.datanodeSystemMicrosPerFile, 0)} system; ${r.replication} replicas)` +
      (f.databaseCpuMicrosPerFile === undefined ? '' : `, MariaDB CPU ${fmt(f.databaseCpuMicrosPerFile, 0)} µs (${fmt(f.databaseSystemMicrosPerFile ?? 0, 0)} system)`) +
      `, client CPU ${fmt(f.clientCpuMicrosPerFile, 0)} µs (a process of its own), others ${fmt(f.othersCpuMicrosPerFile, 0)} µs (the machine's busy time less these; the hypervisor's steal ${fmt(f.stealMicrosPerFile, 0)} among it` +
      (f.busiestOthers.length === 0 ? ')' : `; busiest: ${f.busiestOthers.map((p) => `${p.name} ${fmt(p.microsPerFile, 0)}`).join(', ')})`),
    // Tick-based accounting charges a tick's irq or softirq to the process it interrupts: inside the figures above.
    `per file: irq+softirq ${fmt(f.interruptMicrosPerFile, 0)} µs, counted in the CPU of the processes it interrupted`,
    smallFilesText(r),
  ].join('\n');
}

export function smallFilesSummary(f: SmallFilesFigures): SummaryTable {
  const r = f.result;
  return {
    title: `small files (${r.bytes} bytes, replication ${r.replication}, ${r.threads} threads, real bytes through datanodes)`,
    columns: [
      { title: 'files/s', align: 'right' },
      { title: 'p50 ms', align: 'right' },
      { title: 'p99 ms', align: 'right' },
      { title: 'DB stmts/file', align: 'right' },
      { title: 'NN CPU µs/file', align: 'right' },
      { title: 'DN CPU µs/file', align: 'right' },
    ],
    rows: [
      [
        fmt(r.filesPerSecond, 0),
        fmt(r.latency.p50Ms, 1),
        fmt(r.latency.p99Ms, 1),
        fmt(f.statementsPerFile, 1),
        fmt(f.namenodeCpuMicrosPerFile, 0),
        fmt(f.datanodeCpuMicrosPerFile, 0),
      ],
    ],
    notes: [`target: ≥ ${SMALL_FILES_TARGET.filesPerSecond} files/s, p50 ≤ ${SMALL_FILES_TARGET.p50Ms} ms`],
  };
}
