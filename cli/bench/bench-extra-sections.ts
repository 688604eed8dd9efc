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
import { bigFileRounds, DATA_ROUNDS, DATANODES, SMALL_FILE_BYTES, SMALL_FILES_RUN } from './data-shape';

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
          ...bigFileRounds(o.mib),
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
        ...SMALL_FILES_RUN,
        dir: '/benchdata/smallfiles',
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
