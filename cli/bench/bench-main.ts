import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseNonNegativeInt, parsePositiveInt } from '../options';
import { createMysqlPool } from '../../schema/mysql-config';
import { ClientPool } from '../../loadgen/client-pool';
import { MetadataOnlyFileDataClient } from '../../loadgen/file-data-client';
import { renderHtmlReport } from '../../loadgen/html-report';
import type { LoadgenReport, PhaseResult } from '../../loadgen/loadgen-result';
import { buildNamespace } from '../../loadgen/namespace-builder';
import { NamespaceLayout } from '../../loadgen/namespace-layout';
import { createProgressReporter, type ProgressStyle } from '../../loadgen/progress-reporter';
import { formatPhase } from '../../loadgen/result-table';
import { writeReportFile } from '../../loadgen/run-loadgen';
import type { ModeContext } from '../../loadgen/run-phase';
import { benchRow, benchSummaryTable, benchTableText, BENCH_NOTES, meanCeiling, type BenchMeasurement, type DbLimits, type LimitKind } from './bench-summary';
import { measureLockingTransactions, measurePointSelects, sampleInodeKeys } from './db-limits';
import { readStatementCounts, statementDelta } from './db-status';
import { runDataSection, runFleetSection, type DataSection, type FleetSection } from './bench-extra-sections';
import { startLocalFleet } from './local-fleet';
import { progressOption, runMain } from './run-main';
import { LOAD_GENERATOR, namedCpuTotal, startCpuSplit } from './cpu-split';
import { nnfleetSmallFileCpu } from './peer-data-rows';
import { runPeerSection, type FinishPeerSection, type PeerSection } from './peer-section';
import { runWebHdfsSection, type WebHdfsSection } from './webhdfs-section';
import { benchSpotify, nnbenchPhase, NNBENCH_PHASES, SPOTIFY_LABEL, warmUpPhase, writesLayout } from './bench-workload';
import { processCpuMicros } from '../../loadgen/process-cpu';
import { hotDirectoryText, measureHotDirectory } from './hot-directory';
import { readRowLockWaits } from './row-lock-status';
import { runSwiftSection, type SwiftSection } from './swift-section';
import { runCacheSection, type CacheSection } from './cache-section';
import { runSpotifyCacheSection, spotifyCacheOnTarget, type SpotifyCacheSection } from './spotify-cache';
import { runGrpcSection, type GrpcSection } from './grpc-section';
import { runSnapshotSection, type SnapshotSection } from './snapshot-section';
import { targetRows, targetsSummaryTable, targetsTableText, twoNamenodesFromCache, twoNamenodesFromFleet } from './bench-targets';
import { sectionTimesText, timeSection, type SectionTime } from './section-times';

interface BenchFlags {
  seconds: number;
  warmupSeconds: number;
  spotifySeconds: number;
  spotifyWarmupSeconds: number;
  dbSeconds: number;
  threads: number;
  clients: number;
  connections: number;
  dirs: number;
  filesPerDir: number;
  outDir: string;
  progress: ProgressStyle;
  opTimeout: number;
  fleet: boolean;
  data: boolean;
  webhdfs: boolean;
  cache: boolean;
  grpc: boolean;
  snapshots: boolean;
  snapshotFiles: number;
  fleetSeconds: number;
  dataMib: number;
  smallFiles: number;
  peer: boolean;
  peerDatanodes: number;
  nnthroughputFiles: number;
  hot: boolean;
  hotFiles: number;
  swift: boolean;
  swiftMib: number;
  swiftSmallFiles: number;
  swiftRangedReads: number;
  /** Only the Spotify mix on fresh namenodes with the coherent cache off and on: no main table, no other section. */
  onlySpotifyCache: boolean;
}

/** The pool size the namenode uses, so the database ceiling is measured on equal terms. */
const DB_POOL_SIZE = 16;

/**
 * `npm run bench`: a local fleet on the embedded default, a namespace, the
 * database's own ceilings, then fileStatus, open, listStatus, create,
 * mkdirs and the Spotify mix, each against those ceilings; then the fleet
 * (1 and 2 namenodes behind haproxy), Apache HDFS's own NameNode beside it
 * under the same operations (and Hadoop's NNThroughputBenchmark against
 * both), and the data path (real bytes through datanode processes). A benchmark, not a test: it asserts nothing about
 * time.
 */
async function bench(flags: BenchFlags): Promise<void> {
  const startedAt = new Date();
  const progress = createProgressReporter(flags.progress);
  const dir = mkdtempSync(join(tmpdir(), 'nnfleet-bench-'));
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  say(`nnfleet bench: ${cpus().length} cores, ${flags.threads} client threads on ${flags.connections} connection(s) (${flags.clients} clients in the sections of one connection each); starting MariaDB and a namenode under ${dir}`);
  const fleet = await startLocalFleet(dir);
  // Ctrl-C must not leave a MariaDB behind.
  const onSignal = (): void => {
    void fleet.stop().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const dbPool = createMysqlPool(fleet.mysql, { connectionLimit: DB_POOL_SIZE });
  let clients: ClientPool | undefined;
  try {
    clients = await ClientPool.open({ namenodes: [fleet.address], user: fleet.superuser, connections: flags.connections });
    const fileData = new MetadataOnlyFileDataClient();
    const ctx: ModeContext = { pool: clients, fileData, progress, user: fleet.superuser, opTimeoutMs: flags.opTimeout * 1000 };
    const layout = new NamespaceLayout('/bench', flags.dirs * flags.filesPerDir, flags.filesPerDir);
    const setup = await buildNamespace(ctx, layout, flags.threads, 'bench namespace');
    say(`namespace: ${layout.dirs} dirs, ${layout.files} files under ${layout.root}`);

    const measurements: BenchMeasurement[] = [];
    // The processes whose CPU the side-by-side table splits each phase's by (cpu-split.ts).
    const nnfleetProcesses = [
      { name: 'namenode', pid: fleet.namenode.pid },
      { name: 'MariaDB', pid: fleet.mariadb.pid },
      { name: LOAD_GENERATOR, pid: process.pid },
    ];
    const skipped: string[] = [];
    let hung: string | undefined;
    const measure = async (label: string, limit: LimitKind | undefined, run: () => Promise<PhaseResult>, warmUp?: () => Promise<void>): Promise<PhaseResult | undefined> => {
      // A namenode that stopped answering would only time out again: report what was measured instead.
      if (hung !== undefined) {
        skipped.push(label);
        return undefined;
      }
      await warmUp?.();
      const stmts = await readStatementCounts(dbPool);
      const cpu = processCpuMicros(fleet.namenode.pid);
      const split = startCpuSplit(nnfleetProcesses);
      const phase = await run();
      const cpuPerOp = split(phase.totalOps + phase.totalErrors);
      const statements = statementDelta(stmts, await readStatementCounts(dbPool));
      const namenodeCpuMicros = processCpuMicros(fleet.namenode.pid) - cpu;
      measurements.push({ label, phase, statements, namenodeCpuMicros, cpu: cpuPerOp, ...(limit ? { limit } : {}) });
      if (phase.ops.some((o) => (o.errorsByClass['OperationTimeout'] ?? 0) > 0)) hung = label;
      return phase;
    };

    const times: SectionTime[] = [];
    const timed = <T>(section: string, run: () => Promise<T>): Promise<T> => {
      // The only sign of life between sections with --progress none.
      say(`${section} ...`);
      return timeSection(times, section, run);
    };
    // --only-spotify-cache: the one section, on the namespace just built, nothing measured before it.
    const mainTable = !flags.onlySpotifyCache;
    const section = (on: boolean): boolean => on && mainTable && hung === undefined;
    const keys = mainTable ? await sampleInodeKeys(dbPool, 20_000) : [];
    // Twice the pool in flight keeps every connection busy whatever --threads is: the ceiling, not a client limit.
    const dbThreads = Math.max(flags.threads, 2 * DB_POOL_SIZE);
    const mainStarted = Date.now();
    // Each ceiling is measured right before and right after the phases it divides, and they are
    // divided by the mean: on this shared box one 3 s measurement swings 2x between minutes.
    // The first of each follows an unmeasured pass, as the nnbench rows do (--warmup-seconds): this process's driver path is cold.
    const warm = (run: (seconds: number) => Promise<PhaseResult>) => async () => {
      if (flags.warmupSeconds > 0) await run(flags.warmupSeconds);
    };
    const selects = (seconds: number) => measurePointSelects(dbPool, keys, seconds, dbThreads, progress);
    const txs = (seconds: number) => measureLockingTransactions(dbPool, keys, seconds, dbThreads, progress);
    const pointSelects = (label: string, first = false) => measure(label, undefined, () => selects(flags.dbSeconds), first ? warm(selects) : undefined);
    const lockingTxs = (label: string, first = false) => measure(label, undefined, () => txs(flags.dbSeconds), first ? warm(txs) : undefined);
    const ceilings: { pointSelects: (PhaseResult | undefined)[]; lockingTxs: (PhaseResult | undefined)[] } = { pointSelects: [], lockingTxs: [] };
    if (mainTable) ceilings.pointSelects.push(await pointSelects('db point select', true));

    const measureNnbench = (p: (typeof NNBENCH_PHASES)[number], on = layout) =>
      measure(p.op, p.limit, () => nnbenchPhase(ctx, on, p.op, flags), () => warmUpPhase(ctx, on, p.op, flags));
    for (const p of NNBENCH_PHASES.filter((x) => mainTable && x.limit === 'point select')) await measureNnbench(p);
    if (mainTable) ceilings.pointSelects.push(await pointSelects('db point select, after the reads'));
    times.push(
      { section: 'start-up and namespace', seconds: (mainStarted - startedAt.getTime()) / 1000 },
      { section: 'main table: DB ceilings and read phases', seconds: (Date.now() - mainStarted) / 1000 },
    );
    // Right after the read phases, on the namespace they read: the write phases leave the first
    // namenode slower per operation for a while (seen as ~4x fileStatus CPU), which would favour
    // the later 2-namenode run; the Spotify mix renames and deletes the files it stats.
    const fleetSection: FleetSection | undefined =
      section(flags.fleet)
        ? await timed('fleet', () => runFleetSection(dir, fleet, dbPool, ctx, layout, { threads: flags.clients, seconds: flags.fleetSeconds, cores: cpus().length }))
        : undefined;
    // Also before the writes, on the same files: WebHDFS and Hadoop IPC side by side through haproxy.
    const webhdfsSection: WebHdfsSection | undefined =
      section(flags.webhdfs) ? await timed('webhdfs', () => runWebHdfsSection(dir, fleet, ctx, layout, { threads: flags.clients, seconds: flags.seconds })) : undefined;
    // Before the writes too: their reads need the files the Spotify mix renames and deletes; their creates go into their own directories.
    const cacheSection: CacheSection | undefined =
      section(flags.cache) ? await timed('cache', () => runCacheSection(dir, fleet, dbPool, ctx, layout, { threads: flags.clients, seconds: flags.seconds })) : undefined;
    const grpcSection: GrpcSection | undefined =
      section(flags.grpc) ? await timed('grpc', () => runGrpcSection(dir, fleet, dbPool, ctx, layout, { threads: flags.clients, seconds: flags.seconds })) : undefined;
    const mix = !mainTable ? undefined : await timed('main table: write phases and the Spotify mix', async () => {
      const writes = await writesLayout(ctx, layout);
      ceilings.lockingTxs.push(await lockingTxs('db locking tx', true));
      for (const p of NNBENCH_PHASES.filter((x) => x.limit === 'locking tx')) await measureNnbench(p, writes);
      ceilings.lockingTxs.push(await lockingTxs('db locking tx, after the writes'));
      const spotify = benchSpotify(ctx, layout, flags);
      return measure(SPOTIFY_LABEL, 'point select', spotify.measured, spotify.warmUp);
    });
    // The mix again on fresh namenodes with the coherent cache off and on (as `nnfleet up` runs it, with Redis).
    const spotifyCache: SpotifyCacheSection | undefined =
      (section(flags.cache) || (flags.onlySpotifyCache && hung === undefined)) ? await timed('Spotify mix, cache off and on', () => runSpotifyCacheSection(dir, fleet, dbPool, ctx, layout, flags)) : undefined;
    const hot =
      section(flags.hot)
        ? await timed('hot directories', () =>
            measureHotDirectory(fleet.address, fleet.superuser, { files: flags.hotFiles, threads: flags.clients, root: '/hot', quota: true, rowLocks: () => readRowLockWaits(dbPool) }),
          )
        : undefined;

    // After the Spotify mix: its own trees and files, and the big bulk-loaded tree would only grow the tables the main phases read.
    const snapshotSection: SnapshotSection | undefined =
      section(flags.snapshots)
        ? await timed('snapshots', () => runSnapshotSection(fleet, dbPool, ctx, layout, { threads: flags.clients, seconds: flags.seconds, bigFiles: flags.snapshotFiles }))
        : undefined;

    // HDFS is given the data section's big file and small files too (peer-data.ts); its table waits for nnfleet's figures below.
    const finishPeer: FinishPeerSection | undefined =
      section(flags.peer)
        ? await timed('hdfs peer', () =>
            runPeerSection(
              dir,
              ctx,
              layout,
              { address: fleet.address, phases: new Map(measurements.map((m) => [m.label, m.phase])), cpu: new Map(measurements.flatMap((m) => (m.cpu ? [[m.label, m.cpu] as const] : []))) },
              { ...flags, datanodes: flags.peerDatanodes, nnThroughputFiles: flags.nnthroughputFiles, ...(section(flags.data) ? { bigFileMiB: flags.dataMib } : {}) },
              say,
            ),
          )
        : undefined;
    const dataSection: DataSection | undefined =
      section(flags.data) ? await timed('data', () => runDataSection(dir, fleet, dbPool, { mib: flags.dataMib, smallFiles: flags.smallFiles })) : undefined;
    const peerSection: PeerSection | undefined = finishPeer?.(
      dataSection && !dataSection.failure ? { mib: flags.dataMib, throughput: dataSection.throughput, ...(dataSection.smallFiles ? { smallFiles: dataSection.smallFiles } : {}) } : undefined,
    );
    const swiftSection: SwiftSection | undefined =
      section(flags.swift)
        ? await timed('swift', () => runSwiftSection(dir, fleet, { bigMiB: flags.swiftMib, smallFiles: flags.swiftSmallFiles, rangedReads: flags.swiftRangedReads }))
        : undefined;
    const sections = [fleetSection, webhdfsSection, cacheSection, grpcSection, spotifyCache, snapshotSection, dataSection, peerSection, swiftSection].filter(
      (x): x is FleetSection | WebHdfsSection | CacheSection | GrpcSection | SpotifyCacheSection | SnapshotSection | DataSection | PeerSection | SwiftSection =>
        x !== undefined,
    );

    const limits: DbLimits = { pointSelectsPerSec: meanCeiling(ceilings.pointSelects), lockingTxPerSec: meanCeiling(ceilings.lockingTxs) };
    const rows = measurements.map((m) => benchRow(m, limits));
    const twoNamenodes = twoNamenodesFromFleet(fleetSection?.runs ?? []) ?? twoNamenodesFromCache(cacheSection?.rows ?? []);
    const targets = targetRows({
      main: rows,
      ...(dataSection && !dataSection.failure ? { data: dataSection.throughput } : {}),
      ...(dataSection?.smallFiles ? { smallFiles: { ...dataSection.smallFiles.result, cpuMicrosPerFile: namedCpuTotal(nnfleetSmallFileCpu(dataSection.smallFiles)) } } : {}),
      cores: cpus().length,
      ...spotifyCacheOnTarget(spotifyCache),
      ...(twoNamenodes ? { twoNamenodes } : {}),
      ...(peerSection && peerSection.rows.length > 0 ? { peer: peerSection.rows } : {}),
    });
    const notes = [
      `data path of the table above: ${fileData.description} (metadata benchmarks; the data section below moves real bytes)`,
      `${cpus().length} cores; client, namenode and MariaDB on the same machine; ${flags.threads} client threads on ${flags.connections} connection(s) (--threads, --connections); ${flags.clients} clients of one connection each in the fleet, WebHDFS, cache, gRPC, hot-directory and snapshot sections (--clients)`,
      ...sections.flatMap((x) => (x.failure ? [x.failure] : [])),
    ];
    if (hung !== undefined) {
      notes.push(
        `the namenode stopped answering during "${hung}" (operations unanswered for ${flags.opTimeout} s); not run: ${skipped.join(', ') || 'nothing'}`,
      );
    }
    const report: LoadgenReport = {
      tool: 'nnfleet loadgen',
      mode: 'bench',
      startedAt: startedAt.toISOString(),
      namenodes: [fleet.address],
      dataPath: fileData.description,
      options: { ...flags },
      phases: [...setup, ...measurements.map((m) => m.phase), ...(fleetSection?.runs ?? []).map((r) => r.phase), ...(peerSection?.phases ?? [])],
    };
    const json = {
      tool: 'nnfleet bench',
      startedAt: report.startedAt,
      machine: { cores: cpus().length, node: process.version },
      config: flags,
      dbLimits: { ...limits, pointSelectSamples: ceilings.pointSelects.map((p) => p?.opsPerSec ?? null), lockingTxSamples: ceilings.lockingTxs.map((p) => p?.opsPerSec ?? null) },
      rows,
      fleet: fleetSection?.runs ?? [],
      hdfsPeer: peerSection?.rows ?? [],
      webhdfs: webhdfsSection?.rows ?? [],
      cache: cacheSection?.rows ?? [],
      spotifyCache: spotifyCache?.rows ?? [],
      grpc: grpcSection?.rows ?? [],
      snapshots: snapshotSection?.rows ?? [],
      data: { throughput: dataSection?.throughput ?? [], blockSteps: dataSection?.blockSteps ?? [] },
      swift: swiftSection?.rows ?? [],
      hotDirectory: hot ?? null,
      targets,
      sectionSeconds: times,
      notes: [...BENCH_NOTES, ...notes],
      report,
    };
    const stamp = startedAt.toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z');
    const outDir = resolve(flags.outDir);
    writeReportFile(join(outDir, `${stamp}.json`), `${JSON.stringify(json, null, 2)}\n`);
    writeReportFile(join(outDir, `${stamp}.html`), renderHtmlReport(report, [benchSummaryTable(rows, notes), ...sections.flatMap((x) => x.summaries), targetsSummaryTable(targets)], json));

    say('');
    if (mix) say(`${formatPhase(mix)}\n`);
    say(benchTableText(rows));
    for (const n of [...BENCH_NOTES, ...notes]) say(`* ${n}`);
    if (hot) say(`\n${hotDirectoryText(hot)}`);
    for (const block of sections.flatMap((x) => x.text)) say(`\n${block}`);
    say(`\n${targetsTableText(targets)}`);
    say(`\n${sectionTimesText(times)}`);
    say(`\nwrote ${join(outDir, `${stamp}.json`)} and ${join(outDir, `${stamp}.html`)}`);
    say('subtree operations at scale (rm -r and getContentSummary of 100k files; --files 1000000 for 1M): npm run bench:subtree');
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await clients?.close();
    await dbPool.end();
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function program(): Command {
  return new Command('bench')
    .description('local fleet benchmark against the database limit')
    .option('--seconds <s>', 'length of each single-operation phase', parsePositiveInt, 10)
    .option('--warmup-seconds <s>', 'an unmeasured pass of each main-table nnbench operation (and of each on Apache HDFS) before it is measured', parseNonNegativeInt, 2)
    .option('--spotify-seconds <s>', 'length of the Spotify mix', parsePositiveInt, 20)
    .option('--spotify-warmup-seconds <s>', 'an unmeasured pass of each Spotify mix (nnfleet, Apache HDFS, cache off and on) before it is measured, continuing into the measured one', parseNonNegativeInt, 5)
    .option('--db-seconds <s>', 'length of each database-limit measurement', parsePositiveInt, 8)
    // 128: with 32 the read phases left a fifth of the machine idle (client, namenode and database taking turns), so the
    // rows measured the client's concurrency rather than the server's throughput; the ceilings they are divided by are
    // measured saturated (dbThreads), and the HDFS peer runs the same threads (bench/README.md, stop 54).
    .option('--threads <n>', 'client threads of the main table, the Spotify mixes and the HDFS peer, on --connections connections', parsePositiveInt, 128)
    .option('--clients <n>', 'clients, one connection each, of the fleet, WebHDFS, cache, gRPC, hot-directory and snapshot sections', parsePositiveInt, 32)
    .option('--connections <n>', 'connections the threads of the main table, the Spotify mixes and the HDFS peer share (1: as one Hadoop client\'s threads and NNThroughputBenchmark\'s share theirs); the sections of --clients keep one per client', parsePositiveInt, 1)
    .option('--dirs <n>', 'directories in the namespace', parsePositiveInt, 100)
    .option('--files-per-dir <n>', 'files per directory', parsePositiveInt, 50)
    .option('--op-timeout <s>', 'an operation unanswered this long means the namenode hung: later phases are skipped', parsePositiveInt, 30)
    .option('--out-dir <dir>', 'where the JSON and HTML results go', 'bench/results')
    .option('--no-fleet', 'skip the fleet section (1 and 2 namenodes behind haproxy)')
    .option('--no-data', 'skip the data section (real bytes through datanode processes)')
    .option('--no-webhdfs', 'skip WebHDFS GETFILESTATUS and OPEN through haproxy beside the same operations over Hadoop IPC')
    .option('--no-cache', 'skip the coherent cache (Redis) off and on, with 1 and 2 namenodes: fileStatus, open, listStatus, create')
    .option('--no-grpc', 'skip gRPC Stat beside Hadoop IPC getFileInfo, and create with the change log on and off')
    .option('--no-snapshots', 'skip createSnapshot on a 1,000-file and a --snapshot-files tree, and create/delete under a snapshot against a plain directory')
    .option('--snapshot-files <n>', 'files in the big tree of the snapshot section (bulk-loaded, a multiple of 1000)', parsePositiveInt, 100_000)
    .option('--fleet-seconds <s>', 'length of each fleet fileStatus run', parsePositiveInt, 10)
    .option('--data-mib <n>', 'size of the file written and read per replication factor', parsePositiveInt, 256)
    .option('--small-files <n>', '1-block files for the DB statements per addBlock/complete', parsePositiveInt, 300)
    .option('--no-swift', 'skip blocks through Swift gateways next to local disks (a private Swift; also alone: npm run bench:swift)')
    .option('--swift-mib <n>', 'size of the big file on each store of the Swift section', parsePositiveInt, 256)
    .option('--swift-small-files <n>', 'small files (64 KiB) on each store of the Swift section', parsePositiveInt, 200)
    .option('--swift-ranged-reads <n>', '4 KiB positional reads per store in the Swift section', parsePositiveInt, 200)
    .option('--no-peer', 'skip Apache HDFS side by side (its NameNode from the Hadoop jars, same operations)')
    .option('--peer-datanodes <n>', 'DataNodes beside the Apache HDFS NameNode', parsePositiveInt, 3)
    .option('--no-hot', 'skip creates into one directory against 100, and under a quota root against without')
    .option('--hot-files <n>', 'creates per run of the hot-directory section', parsePositiveInt, 5000)
    .option('--nnthroughput-files <n>', "files per Hadoop NNThroughputBenchmark run against each side (0: skip it)", parseNonNegativeInt, 2000)
    .option('--only-spotify-cache', 'run only the Spotify mix on fresh namenodes with the coherent cache off and on (no main table, no other section)', false)
    .addOption(progressOption())
    .action((flags: BenchFlags) => bench(flags));
}

if (require.main === module) runMain('bench', program());
