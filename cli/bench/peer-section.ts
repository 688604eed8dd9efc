import { join } from 'node:path';
import { ClientPool } from '../../loadgen/client-pool';
import type { PhaseResult } from '../../loadgen/loadgen-result';
import { buildNamespace } from '../../loadgen/namespace-builder';
import type { NamespaceLayout } from '../../loadgen/namespace-layout';
import type { ModeContext } from '../../loadgen/run-phase';
import type { SectionOutput } from './bench-extra-sections';
import { benchSpotify, nnbenchPhase, NNBENCH_PHASES, SPOTIFY_LABEL, warmUpPhase, writesLayout, type SharedConnections, type WorkloadShape } from './bench-workload';
import { startHdfsPeer } from './hdfs-peer';
import { preparePeerJava } from './hdfs-peer-java';
import { dataComparisons, dataNotes, type NnfleetData } from './peer-data-rows';
import { measurePeerData, type PeerDataFigures } from './peer-data';
import { NN_THROUGHPUT_OPS, runNnThroughput, type NnThroughputOptions, type NnThroughputResult } from './nn-throughput';
import { peerCpuSummaryTable, peerCpuTableText, peerRow, peerSummaryTable, peerTableText, type PeerCell, type PeerComparison, type PeerRow } from './peer-table';
import { LOAD_GENERATOR, startCpuSplit, type CpuPerOp } from './cpu-split';

export interface PeerSection extends SectionOutput {
  readonly rows: readonly PeerRow[];
  /** The phases run against Apache HDFS, for the report. */
  readonly phases: readonly PhaseResult[];
}

export interface PeerOptions extends WorkloadShape, SharedConnections {
  readonly datanodes: number;
  /** Files (directories for mkdirs) per NNThroughputBenchmark run; 0 skips it. */
  readonly nnThroughputFiles: number;
  /** The data section's big file size, when it runs: HDFS is then given the same big file and small files (peer-data.ts). */
  readonly bigFileMiB?: number;
}

const TITLE = 'nnfleet beside Apache HDFS (same machine, same run; nnfleet figures from the main table and the data section above)';
const reason = (err: unknown): string => (err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err));
const cellOf = (p: PhaseResult | undefined, cpu: CpuPerOp | undefined, missing: string): PeerCell =>
  p ? { opsPerSec: p.opsPerSec, p50Ms: p.latency.p50Ms, ...(p.machine ? { machine: p.machine } : {}), ...(cpu ? { cpu } : {}) } : { missing };

/** The section's table, once nnfleet's data section (which runs after HDFS has stopped) has its figures, if it ran. */
export type FinishPeerSection = (nnfleetData?: NnfleetData) => PeerSection;

/**
 * Apache HDFS's own NameNode (with DataNodes) in a JVM beside the fleet:
 * the same bench namespace, nnbench phases and Spotify mix through the same
 * load generator, the data section's big file and small files through its
 * client processes (`bigFileMiB`), then Hadoop's NNThroughputBenchmark
 * against both, and nnfleet ÷ HDFS per operation. Optional: without Java,
 * Maven or the jars the section says why instead of the table, and the
 * bench goes on.
 */
export async function runPeerSection(
  dir: string,
  ctx: ModeContext,
  layout: NamespaceLayout,
  nnfleet: { readonly address: string; readonly phases: ReadonlyMap<string, PhaseResult>; readonly cpu: ReadonlyMap<string, CpuPerOp> },
  o: PeerOptions,
  say: (line: string) => void,
): Promise<FinishPeerSection> {
  const java = preparePeerJava();
  if (!java.ok) return () => unavailable(`not run: ${java.reason}`);
  let peer;
  try {
    peer = await startHdfsPeer(java.classpath, join(dir, 'hdfs-peer'), o.datanodes);
  } catch (err) {
    const why = `not run: ${reason(err)}`;
    return () => unavailable(why);
  }
  say(`Apache HDFS: NameNode at ${peer.address} with ${o.datanodes} DataNodes (pid ${peer.pid}, log ${peer.logPath})`);
  const hdfs = new Map<string, PhaseResult>();
  const hdfsCpu = new Map<string, CpuPerOp>();
  // The JVM holds the NameNode and its DataNodes; this process is the load generator, as on nnfleet's side.
  const processes = [
    { name: 'HDFS JVM', pid: peer.pid },
    { name: LOAD_GENERATOR, pid: process.pid },
  ];
  const measured = async (op: string, run: () => Promise<PhaseResult>): Promise<void> => {
    const split = startCpuSplit(processes);
    const phase = await run();
    hdfsCpu.set(op, split(phase.totalOps + phase.totalErrors));
    hdfs.set(op, phase);
  };
  const phases: PhaseResult[] = [];
  const nnt = new Map<string, { nnfleet: NnThroughputResult; hdfs: NnThroughputResult }>();
  let failure: string | undefined;
  let hdfsData: PeerDataFigures | string | undefined;
  try {
    const pool = await ClientPool.open({ namenodes: [peer.address], user: ctx.user, connections: o.connections });
    try {
      const peerCtx: ModeContext = { ...ctx, pool };
      phases.push(...(await buildNamespace(peerCtx, layout, o.threads, 'HDFS namespace')));
      // The write phases into directories of their own, as on nnfleet (writesLayout).
      const writes = await writesLayout(peerCtx, layout);
      for (const p of NNBENCH_PHASES) {
        const on = p.limit === 'locking tx' ? writes : layout;
        await warmUpPhase(peerCtx, on, p.op, o);
        await measured(p.op, () => nnbenchPhase(peerCtx, on, p.op, o));
      }
      const spotify = benchSpotify(peerCtx, layout, o);
      await spotify.warmUp();
      await measured(SPOTIFY_LABEL, () => spotify.measured());
      phases.push(...hdfs.values());
    } finally {
      await pool.close();
    }
    if (o.bigFileMiB !== undefined) {
      say(`Apache HDFS: the data section's big file and small files`);
      hdfsData = await measurePeerData(peer, ctx.user, o.bigFileMiB).catch((err: unknown) => `not measured: ${reason(err)}`);
    }
    if (o.nnThroughputFiles > 0) await runBothNnThroughput(java.classpath, nnfleet.address, peer.address, o, nnt, say);
  } catch (err) {
    failure = `HDFS side by side stopped early: ${reason(err)}`;
  } finally {
    await peer.stop();
  }

  const result: PeerMeasured = { hdfs, hdfsCpu, phases, nnt, hdfsData, failure };
  return (nnfleetData) => peerOutput(result, nnfleet, o, nnfleetData);
}

/** What the section measured on HDFS (and NNThroughputBenchmark on both), or why it stopped. */
interface PeerMeasured {
  readonly hdfs: ReadonlyMap<string, PhaseResult>;
  readonly hdfsCpu: ReadonlyMap<string, CpuPerOp>;
  readonly phases: readonly PhaseResult[];
  readonly nnt: ReadonlyMap<string, { readonly nnfleet: NnThroughputResult; readonly hdfs: NnThroughputResult }>;
  readonly hdfsData: PeerDataFigures | string | undefined;
  readonly failure: string | undefined;
}

function peerOutput(
  m: PeerMeasured,
  nnfleet: { readonly phases: ReadonlyMap<string, PhaseResult>; readonly cpu: ReadonlyMap<string, CpuPerOp> },
  o: PeerOptions,
  nnfleetData: NnfleetData | undefined,
): PeerSection {
  const missingHdfs = m.failure ?? 'not measured';
  // HDFS measured without nnfleet's data section (it failed): the rows say so on nnfleet's side.
  const data = nnfleetData ?? (m.hdfsData === undefined ? undefined : { mib: o.bigFileMiB ?? 0, throughput: [] });
  const comparisons: PeerComparison[] = [
    ...[...NNBENCH_PHASES.map((p) => p.op), SPOTIFY_LABEL].map((op) => ({
      op,
      nnfleet: cellOf(nnfleet.phases.get(op), nnfleet.cpu.get(op), 'not measured'),
      hdfs: cellOf(m.hdfs.get(op), m.hdfsCpu.get(op), missingHdfs),
    })),
    ...(data ? dataComparisons(data, m.hdfsData ?? missingHdfs) : []),
    ...[...m.nnt].map(([op, r]) => ({ op: `NNThroughputBenchmark ${op}`, nnfleet: nntCell(r.nnfleet), hdfs: nntCell(r.hdfs) })),
  ];
  const rows = comparisons.map(peerRow);
  const notes = [
    `Apache HDFS 3.4 (MiniDFSClusterManager: NameNode + ${o.datanodes} DataNodes in one JVM, logging at WARN) on the same cores as nnfleet, MariaDB and the load generator; each side measured while the other idles`,
    'rows without a prefix: our load generator, same threads, seconds and namespace layout on both sides; NNThroughputBenchmark rows: Hadoop\'s own benchmark (its own threads and clients, -fs hdfs://…), figures as it prints them',
    'idle %, steal %: shares of the machine\'s CPU time (all cores over that side\'s phase, /proc/stat) that nothing used, and that the hypervisor gave to other guests; a ratio between phases with different steal compares machines of different sizes',
    ...(data ? dataNotes(data, typeof m.hdfsData === 'object' ? m.hdfsData : undefined) : []),
    ...(o.nnThroughputFiles > 0 ? [] : ['NNThroughputBenchmark not run (--nnthroughput-files 0)']),
    ...(m.failure ? [m.failure] : []),
  ];
  const cpuText = peerCpuTableText(rows);
  const cpuSummary = peerCpuSummaryTable(rows);
  return {
    rows,
    phases: m.phases,
    summaries: [peerSummaryTable(rows, notes), ...(cpuSummary ? [cpuSummary] : [])],
    text: [`${TITLE}\n${peerTableText(rows, notes)}`, ...(cpuText ? [cpuText] : [])],
  };
}

function nntCell(r: NnThroughputResult): PeerCell {
  return r.ok ? { opsPerSec: r.opsPerSec } : { missing: r.reason };
}

/**
 * Each NNThroughputBenchmark op against HDFS, then nnfleet. When nnfleet
 * fails the first op without a result, the rest would fail the same way
 * (the benchmark's handshake) and each cost a JVM start: they get its reason.
 */
async function runBothNnThroughput(
  classpath: string,
  nnfleetAddress: string,
  hdfsAddress: string,
  o: PeerOptions,
  into: Map<string, { nnfleet: NnThroughputResult; hdfs: NnThroughputResult }>,
  say: (line: string) => void,
): Promise<void> {
  const opts: NnThroughputOptions = { threads: o.threads, files: o.nnThroughputFiles, perDir: o.filesPerDir, timeoutSeconds: 120 };
  let nnfleetUnsupported: string | undefined;
  for (const op of NN_THROUGHPUT_OPS) {
    say(`NNThroughputBenchmark -op ${op} -files ${opts.files}: Apache HDFS, then nnfleet`);
    const hdfs = await runNnThroughput(classpath, hdfsAddress, op, opts);
    let nnfleet: NnThroughputResult;
    if (nnfleetUnsupported !== undefined) nnfleet = { ok: false, reason: nnfleetUnsupported };
    else {
      nnfleet = await runNnThroughput(classpath, nnfleetAddress, op, opts);
      if (!nnfleet.ok && into.size === 0) nnfleetUnsupported = nnfleet.reason.startsWith('not supported') ? nnfleet.reason : `not supported: ${nnfleet.reason}`;
      if (!nnfleet.ok && nnfleetUnsupported !== undefined) nnfleet = { ok: false, reason: nnfleetUnsupported };
    }
    into.set(op, { nnfleet, hdfs });
  }
}

function unavailable(why: string): PeerSection {
  return { rows: [], phases: [], summaries: [], text: [`${TITLE}\n* ${why}`] };
}
