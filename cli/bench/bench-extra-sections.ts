import type mysql from 'mysql2/promise';
import { join } from 'node:path';
import type { SummaryTable } from '../../loadgen/html-report';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import type { NamespaceLayout } from '../../loadgen/namespace-layout';
import type { ModeContext } from '../../loadgen/run-phase';
import { startBenchDatanodes } from './bench-datanodes';
import { runDataClient } from './data-client-main';
import { measureBlockOpStatements, type BlockOpStatementsRow } from './block-op-statements';
import { blockOpStatementsText, dataSummaries, dataThroughputText, DATA_NOTES } from './data-tables';
import { medianRounds, type DataThroughputRow } from '../../loadgen/data-throughput';
import { measureFleetScaling, type FleetScalingRun } from './fleet-scaling';
import { fleetScalingNotes, fleetScalingSummary, fleetScalingText } from './fleet-scaling-table';
import type { LocalFleet } from './local-fleet';
import { measureSmallFiles, smallFilesFiguresText, smallFilesSummary, type SmallFilesFigures } from './small-files-section';

/** A section's tables, as printed and for the HTML report; or why it could not run. */
export interface SectionOutput {
  readonly summaries: readonly SummaryTable[];
  /** Tables and notes as printed, one string per block. */
  readonly text: readonly string[];
  readonly failure?: string;
}

export interface FleetSection extends SectionOutput {
  readonly runs: readonly FleetScalingRun[];
}

export interface DataSection extends SectionOutput {
  readonly throughput: readonly DataThroughputRow[];
  readonly blockSteps: readonly BlockOpStatementsRow[];
  /** 4 KiB files at replication 3 from 16 writers: the small-file figure. */
  readonly smallFiles?: SmallFilesFigures;
}

const BIG_FILE_BLOCK = 128 * 1024 * 1024;
const SMALL_FILE_BYTES = 4096;
const DATANODES = 3;
/** Rounds of the big file's write and read per replication factor; the table shows their medians. */
const DATA_ROUNDS = 3;
/**
 * One unmeasured round first: the datanode processes are fresh, and their first round ran slowest
 * in every full run (r=3 writes 43 / 89 / 129 MiB/s, 124 / 139 / 206), as the nnbench rows'
 * unmeasured --warmup-seconds pass keeps their JIT's first seconds out too.
 */
const DATA_WARMUP_ROUNDS = 1;
const SMALL_FILE_WRITERS = 16;
/** Enough for a few seconds at the target rate; --small-files (300) is too few to time. */
const SMALL_FILES_TIMED = 2000;
/**
 * Files written first, not counted: the namenode's JIT keeps compiling the block
 * path (addBlock, reports, complete) for thousands of files. Four rounds of 1,500
 * after 300 cost it 5,127, 4,187, 3,353 and 3,273 µs of CPU per file
 * (bench/README.md, *JIT warm-up of the write path*).
 */
const SMALL_FILES_WARMUP = 3000;

const reason = (err: unknown): string => (err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err));

/**
 * Aggregate fileStatus through haproxy with 1, then 2 namenodes, over the
 * bench layout's files. A failure is reported, not fatal: the rest of the
 * run stands.
 */
export async function runFleetSection(
  dir: string,
  fleet: LocalFleet,
  dbPool: mysql.Pool,
  ctx: ModeContext,
  layout: NamespaceLayout,
  o: { threads: number; seconds: number; cores: number },
): Promise<FleetSection> {
  let runs: FleetScalingRun[];
  try {
    runs = await measureFleetScaling({
      dir,
      mysqlUrl: fleet.mysqlUrl,
      first: fleet.namenode,
      mariadbPid: fleet.mariadb.pid,
      dbPool,
      layout,
      threads: o.threads,
      seconds: o.seconds,
      user: fleet.superuser,
      fileData: ctx.fileData,
      progress: ctx.progress,
      opTimeoutMs: ctx.opTimeoutMs ?? 30_000,
    });
  } catch (err) {
    return { runs: [], summaries: [], text: [], failure: `fleet section failed: ${reason(err)}` };
  }
  const notes = fleetScalingNotes(runs, o.cores).map((n) => `* ${n}`).join('\n');
  return {
    runs,
    summaries: [fleetScalingSummary(runs, o.cores)],
    text: [`fleet: fileStatus through haproxy\n${fleetScalingText(runs, o.cores)}\n${notes}`],
  };
}

/**
 * Real bytes: datanode processes beside the namenode, one big file written
 * and read per replication factor (DATA_ROUNDS rounds, medians shown), the database cost of each block step
 * over many small files, then small files end to end from 16 writers.
 */
export async function runDataSection(dir: string, fleet: LocalFleet, dbPool: mysql.Pool, o: { mib: number; smallFiles: number }): Promise<DataSection> {
  let throughput: DataThroughputRow[];
  let blockSteps: BlockOpStatementsRow[];
  let smallFiles: SmallFilesFigures;
  try {
    const datanodes = await startBenchDatanodes(join(dir, 'data'), { host: '127.0.0.1', rpcPort: fleet.namenode.rpcPort }, fleet.datanodeKeyFile, DATANODES);
    try {
      const clients = await Promise.all(
        Array.from({ length: 4 }, (_, i) => NamenodeClient.connect(fleet.address, fleet.superuser, `nnfleet_bench_data_${process.pid}_${i}`, new RpcCounter())),
      );
      try {
        const first = clients[0] as NamenodeClient;
        await first.mkdirs('/benchdata');
        // The big file's rounds in a fresh client process (runDataClient says why).
        const rounds = await runDataClient({
          address: fleet.address,
          user: fleet.superuser,
          bytes: o.mib * 1024 * 1024,
          blockSize: BIG_FILE_BLOCK,
          replications: [1, DATANODES],
          warmup: DATA_WARMUP_ROUNDS,
          rounds: DATA_ROUNDS,
          dir: '/benchdata',
          datanodePids: datanodes.children.map((c) => c.pid),
        });
        throughput = medianRounds(rounds);
        blockSteps = await measureBlockOpStatements({ clients, dbPool, files: o.smallFiles, bytes: SMALL_FILE_BYTES, replication: DATANODES, dir: '/benchdata/small', cpuPids: { namenode: fleet.namenode.pid, database: fleet.mariadb.pid } });
      } finally {
        await Promise.all(clients.map((c) => c.close()));
      }
      smallFiles = await measureSmallFiles({
        address: fleet.address,
        user: fleet.superuser,
        dbPool,
        namenodePid: fleet.namenode.pid,
        datanodePids: datanodes.children.map((c) => c.pid),
        databasePid: fleet.mariadb.pid,
        files: SMALL_FILES_TIMED,
        threads: SMALL_FILE_WRITERS,
        bytes: SMALL_FILE_BYTES,
        replication: DATANODES,
        dir: '/benchdata/smallfiles',
        warmupFiles: SMALL_FILES_WARMUP,
      });
    } finally {
      await datanodes.stop();
    }
  } catch (err) {
    return { throughput: [], blockSteps: [], summaries: [], text: [], failure: `data section failed: ${reason(err)}` };
  }
  return {
    throughput,
    blockSteps,
    smallFiles,
    summaries: [...dataSummaries(throughput, blockSteps), smallFilesSummary(smallFiles)],
    text: [
      `data: ${smallFilesFiguresText(smallFiles)}`,
      `data: one ${o.mib} MiB file over ${DATANODES} datanode processes, median of ${DATA_ROUNDS} rounds\n${dataThroughputText(throughput)}`,
      `data: namenode DB statements per block step (${o.smallFiles} files of ${SMALL_FILE_BYTES} bytes, replication ${DATANODES})\n${blockOpStatementsText(blockSteps)}`,
      DATA_NOTES.map((n) => `* ${n}`).join('\n'),
    ],
  };
}
