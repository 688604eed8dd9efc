import { Command, InvalidArgumentError, Option } from 'commander';
import { userInfo } from 'node:os';
import { DATA_PATHS, fileDataClient, type DataPath } from '../../loadgen/data/file-data-choice';
import { MetadataOnlyFileDataClient, type FileDataClient } from '../../loadgen/file-data-client';
import { NNBENCH_OPS, runNnbench, type NnbenchOp } from '../../loadgen/nnbench-mode';
import type { ProgressStyle } from '../../loadgen/progress-reporter';
import { runLoadgen, writeReportFile, type LoadgenCommon } from '../../loadgen/run-loadgen';
import { ClientPool } from '../../loadgen/client-pool';
import { smallFilesText, writeSmallFiles } from '../../loadgen/small-files';
import { SLG_STRUCTURE_DEFAULTS } from '../../loadgen/slg-structure';
import { runSlg } from '../../loadgen/slg-mode';
import { runSpotify } from '../../loadgen/spotify-mode';
import { runWebHdfsLoadgen } from '../../loadgen/webhdfs/run-webhdfs-loadgen';
import { WEBHDFS_OPS, type WebHdfsLoadOp } from '../../loadgen/webhdfs/webhdfs-mode';
import { parseMysqlUrl, type MysqlConfig } from '../../schema/mysql-config';
import { runDnsimWithSeed } from '../bench/dnsim-run';
import { parseNonNegativeInt, parsePositiveInt } from '../options';

interface CommonFlags {
  namenodes: string[];
  user: string;
  connections?: number;
  progress: ProgressStyle;
  json?: string;
  html?: string;
  opTimeout: number;
}

function parseAddresses(value: string): string[] {
  const list = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (list.length === 0 || list.some((a) => !/^\[?[^\]\s]+\]?:\d+$/.test(a))) {
    throw new InvalidArgumentError('expected HOST:PORT[,HOST:PORT…]');
  }
  return list;
}

function parseProbability(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a probability in [0, 1]');
  return n;
}

function parseNonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a non-negative number');
  return n;
}

/** Options every mode takes. */
function withCommon(cmd: Command): Command {
  return cmd
    .addOption(new Option('--namenodes <list>', 'namenodes or the balancer, HOST:PORT[,HOST:PORT…]').argParser(parseAddresses).makeOptionMandatory())
    .option('--user <name>', 'HDFS user to act as (chown dir needs the superuser)', userInfo().username)
    .option('--connections <n>', 'IPC connections, spread round-robin over --namenodes (default: one per thread)', parsePositiveInt)
    .addOption(new Option('--progress <style>', 'live progress: a bar on a TTY, a line per interval otherwise').choices(['auto', 'bar', 'lines', 'none']).default('auto'))
    .option('--op-timeout <s>', 'count an operation unanswered this long as an OperationTimeout error and stop its thread', parsePositiveInt, 60)
    .option('--json <file>', 'write machine-readable results')
    .option('--html <file>', 'write a self-contained HTML report with charts');
}

function common(flags: CommonFlags, threads: number, fileData: FileDataClient = new MetadataOnlyFileDataClient()): LoadgenCommon {
  return {
    fileData,
    namenodes: flags.namenodes,
    user: flags.user,
    connections: flags.connections ?? threads,
    progress: flags.progress,
    opTimeoutMs: flags.opTimeout * 1000,
    ...(flags.json !== undefined ? { json: flags.json } : {}),
    ...(flags.html !== undefined ? { html: flags.html } : {}),
  };
}

type SlgFlags = CommonFlags & Parameters<typeof runSlg>[1] & { data: DataPath; replication: number };

function slgCommand(): Command {
  const d = SLG_STRUCTURE_DEFAULTS;
  return withCommon(new Command('slg'))
    .description("Hadoop's Synthetic Load Generator: structure + data generation, then a timed read/write/list load")
    .option('--root <path>', 'root of the generated tree', '/testLoadSpace')
    .option('--maxDepth <n>', 'maximum depth of the tree', parseNonNegativeInt, d.maxDepth)
    .option('--minWidth <n>', 'minimum subdirectories of a directory', parseNonNegativeInt, d.minWidth)
    .option('--maxWidth <n>', 'maximum subdirectories of a directory', parseNonNegativeInt, d.maxWidth)
    .option('--numOfFiles <n>', 'files in the tree', parseNonNegativeInt, d.numOfFiles)
    .option('--avgFileSize <blocks>', 'average file size, in blocks', parseNonNegativeNumber, d.avgFileSize)
    .option('--blockSize <bytes>', 'bytes per block for file sizes', parsePositiveInt, 128 * 1024 * 1024)
    .option('--readProbability <p>', 'probability of a read', parseProbability, 0.3333)
    .option('--writeProbability <p>', 'probability of a write (the rest are lists)', parseProbability, 0.3333)
    .option('--numOfThreads <n>', 'concurrent clients', parsePositiveInt, 200)
    .option('--maxDelayBetweenOps <ms>', 'each thread sleeps up to this long between operations', parseNonNegativeInt, 0)
    .option('--elapsedTime <s>', 'length of the load phase, seconds', parsePositiveInt, 10)
    .option('--seed <n>', 'random seed (structure and operation sequence)', parseNonNegativeInt, Date.now() % 2 ** 31)
    .addOption(new Option('--data <path>', 'real: bytes through the datanodes (DataTransferProtocol); metadata: namenode calls only').choices([...DATA_PATHS]).default('real'))
    .option('--replication <n>', 'replication of the files written (the write pipeline length)', parsePositiveInt, 3)
    .action(async (flags: SlgFlags) => {
      const { namenodes: _n, user: _u, connections: _c, progress: _p, json: _j, html: _h, opTimeout: _t, data, replication, ...slg } = flags;
      const fileData = fileDataClient(data, { blockSize: slg.blockSize, replication });
      await runLoadgen('slg', common(flags, flags.numOfThreads, fileData), { ...slg, data, replication }, runSlg);
    });
}

interface NnbenchFlags extends CommonFlags {
  op: NnbenchOp;
  threads: number;
  files: number;
  filesPerDir: number;
  useExisting: boolean;
  root: string;
  duration?: number;
}

function nnbenchCommand(): Command {
  return withCommon(new Command('nnbench'))
    .description('NNThroughputBenchmark-style runs of one operation')
    .addOption(new Option('--op <op>', 'operation to measure').choices([...NNBENCH_OPS]).makeOptionMandatory())
    .option('--threads <n>', 'concurrent clients', parsePositiveInt, 16)
    .option('--files <n>', 'operations: one per file (per directory for listStatus)', parsePositiveInt, 1000)
    .option('--filesPerDir <n>', 'files per directory', parsePositiveInt, 100)
    .option('--useExisting', 'use files an earlier run made under the same --root, --files and --filesPerDir; create/mkdirs: add entries round-robin to its directories', false)
    .option('--root <path>', 'base directory', '/nnbench')
    .option('--duration <s>', 'time-based instead: cycle over the files (or keep making names) for this long', parsePositiveInt)
    .action(async (flags: NnbenchFlags) => {
      await runLoadgen('nnbench', common(flags, flags.threads), {
        op: flags.op,
        threads: flags.threads,
        files: flags.files,
        filesPerDir: flags.filesPerDir,
        useExisting: flags.useExisting,
        root: flags.root,
        ...(flags.duration !== undefined ? { durationSeconds: flags.duration } : {}),
      }, runNnbench);
    });
}

interface SpotifyFlags extends CommonFlags {
  threads: number;
  duration: number;
  dirs: number;
  filesPerDir: number;
  root: string;
  seed: number;
  useExisting: boolean;
  group: string;
}

function spotifyCommand(): Command {
  return withCommon(new Command('spotify'))
    .description('the HopsFS/Spotify operation mix over a pre-built namespace')
    .option('--threads <n>', 'concurrent clients', parsePositiveInt, 32)
    .option('--duration <s>', 'length of the mixed load, seconds', parsePositiveInt, 30)
    .option('--dirs <n>', 'directories in the pre-built namespace', parsePositiveInt, 100)
    .option('--filesPerDir <n>', 'files per directory', parsePositiveInt, 50)
    .option('--root <path>', 'base directory', '/spotify')
    .option('--seed <n>', 'random seed', parseNonNegativeInt, Date.now() % 2 ** 31)
    .option('--useExisting', 'skip building; use the namespace of an earlier run with the same layout', false)
    .option('--group <name>', 'group set by "chown dir"', 'supergroup')
    .action(async (flags: SpotifyFlags) => {
      await runLoadgen('spotify', common(flags, flags.threads), {
        threads: flags.threads,
        durationSeconds: flags.duration,
        dirs: flags.dirs,
        filesPerDir: flags.filesPerDir,
        root: flags.root,
        seed: flags.seed,
        useExisting: flags.useExisting,
        group: flags.group,
      }, runSpotify);
    });
}

interface WebHdfsFlags {
  namenodes: string[];
  user: string;
  op: WebHdfsLoadOp;
  connections: number;
  duration: number;
  root: string;
  dirs: number;
  filesPerDir: number;
  fileSize: number;
  useExisting: boolean;
  seed: number;
  json?: string;
  html?: string;
}

function webhdfsCommand(): Command {
  return new Command('webhdfs')
    .description('WebHDFS over HTTP with autocannon: GETFILESTATUS, LISTSTATUS, OPEN (namenode then datanode) or CREATE+write')
    .addOption(new Option('--namenodes <list>', "HTTP ports of the balancer or of each namenode, HOST:PORT[,HOST:PORT…]").argParser(parseAddresses).makeOptionMandatory())
    .addOption(new Option('--op <op>', 'operation to load').choices([...WEBHDFS_OPS]).makeOptionMandatory())
    .option('--user <name>', 'user.name of every request', userInfo().username)
    .option('--connections <n>', 'keep-alive HTTP connections in all', parsePositiveInt, 16)
    .option('--duration <s>', 'length of each load phase, seconds', parsePositiveInt, 10)
    .option('--root <path>', 'base directory', '/webhdfs-load')
    .option('--dirs <n>', 'directories of files to read', parsePositiveInt, 4)
    .option('--filesPerDir <n>', 'files per directory', parsePositiveInt, 25)
    .option('--fileSize <bytes>', 'bytes per file read or written', parseNonNegativeInt, 4096)
    .option('--useExisting', 'read the files an earlier run made under the same --root, --dirs and --filesPerDir', false)
    .option('--seed <n>', 'names the CREATE run directory (w<seed>)', parseNonNegativeInt, Date.now() % 2 ** 31)
    .option('--json <file>', 'write machine-readable results')
    .option('--html <file>', 'write a self-contained HTML report with charts')
    .action(async (flags: WebHdfsFlags) => {
      const { json, html, namenodes, duration, ...rest } = flags;
      await runWebHdfsLoadgen(
        { ...rest, namenodes: namenodes.map((a) => `http://${a}`), durationSeconds: duration },
        { ...(json !== undefined ? { json } : {}), ...(html !== undefined ? { html } : {}) },
      );
    });
}

interface DnsimFlags extends CommonFlags {
  datanodeKey: string;
  datanodes: number;
  heartbeats: number;
  threads: number;
  files: number;
  blocksPerFile: number;
  replication: number;
  blocksPerReport: number;
  reporters: number;
  removeEvery: number;
  dir: string;
  mysql?: MysqlConfig;
}

function dnsimCommand(): Command {
  return withCommon(new Command('dnsim'))
    .description("simulated datanodes over DatanodeProtocol (NNThroughputBenchmark's blockReport): register, heartbeats, incremental and full block reports")
    .requiredOption('--datanode-key <file>', "the fleet's datanode key file (membership secret)")
    .option('--datanodes <n>', 'simulated datanodes; each heartbeats every namenode and reports to one', parsePositiveInt, 1000)
    .option('--heartbeats <n>', 'heartbeat rounds', parseNonNegativeInt, 3)
    .option('--threads <n>', 'concurrent calls', parsePositiveInt, 64)
    .option('--files <n>', 'files written through ClientProtocol, their targets sending incremental reports', parseNonNegativeInt, 100)
    .option('--blocksPerFile <n>', 'blocks per written file', parsePositiveInt, 2)
    .option('--replication <n>', 'replication of written files and of the bulk-loaded blocks', parsePositiveInt, 3)
    .option('--blocksPerReport <n>', 'blocks each reporting datanode holds in its full reports, bulk-loaded (needs --mysql)', parseNonNegativeInt, 0)
    .option('--reporters <n>', 'datanodes that hold bulk-loaded blocks', parsePositiveInt, 10)
    .option('--removeEvery <n>', 'the last full report leaves out every n-th block (0: no removal report)', parseNonNegativeInt, 10)
    .option('--dir <path>', 'directory of the written and bulk-loaded files', '/dnsim')
    .option('--mysql <url>', 'metadata database: bulk-loads blocks for --blocksPerReport and prints DB statements per operation', parseMysqlUrl)
    .action(async (flags: DnsimFlags) => {
      const { namenodes, user: _u, connections: _c, progress: _p, json: _j, html: _h, opTimeout: _t, mysql, ...rest } = flags;
      // The database's address (and password) stays out of the printed options.
      await runLoadgen('dnsim', common(flags, flags.threads), { ...rest, namenodes }, (ctx, o) => runDnsimWithSeed(ctx, { ...o, ...(mysql ? { mysql } : {}) }));
    });
}

interface SmallFilesFlags extends CommonFlags {
  threads: number;
  files: number;
  bytes: number;
  replication: number;
  dir: string;
}

function smallFilesCommand(): Command {
  return withCommon(new Command('smallfiles'))
    .description('small files with real bytes, as a Hadoop client writes them: create, addBlock, a WRITE_BLOCK pipeline, complete; files/s and where a file\'s time goes')
    .option('--threads <n>', 'concurrent writers', parsePositiveInt, 16)
    .option('--files <n>', 'files to write', parsePositiveInt, 2000)
    .option('--bytes <n>', 'bytes per file (at most one 128 MiB block)', parsePositiveInt, 4096)
    .option('--replication <n>', 'replication (the pipeline length)', parsePositiveInt, 3)
    .option('--dir <path>', 'directory the files are written under (made if missing; a rerun overwrites)', '/smallfiles')
    .action(async (flags: SmallFilesFlags) => {
      const pool = await ClientPool.open({ namenodes: flags.namenodes, user: flags.user, connections: flags.connections ?? flags.threads });
      try {
        await pool.forWorker(0).mkdirs(flags.dir);
        const clients = Array.from({ length: flags.connections ?? flags.threads }, (_, i) => pool.forWorker(i));
        const result = await writeSmallFiles({ clients, files: flags.files, threads: flags.threads, bytes: flags.bytes, replication: flags.replication, dir: flags.dir });
        process.stdout.write(`${smallFilesText(result)}\n`);
        if (flags.json !== undefined) writeReportFile(flags.json, `${JSON.stringify({ tool: 'nnfleet loadgen', mode: 'smallfiles', namenodes: flags.namenodes, result }, null, 2)}\n`);
      } finally {
        await pool.close();
      }
    });
}

/** `nnfleet loadgen slg|nnbench|spotify|webhdfs|dnsim|smallfiles`: synthetic load against namenodes. */
export function registerLoadgenCommand(program: Command): Command {
  const loadgen = new Command('loadgen')
    .description('synthetic load: slg (Hadoop SLG), nnbench (NNThroughputBenchmark), spotify (HopsFS operation mix), webhdfs (HTTP with autocannon), dnsim (simulated datanodes), smallfiles (small files with real bytes)')
    .addCommand(slgCommand())
    .addCommand(nnbenchCommand())
    .addCommand(spotifyCommand())
    .addCommand(webhdfsCommand())
    .addCommand(dnsimCommand())
    .addCommand(smallFilesCommand())
    .addHelpText(
      'after',
      '\nslg moves real bytes through the datanodes by default (--data metadata for namenode calls only);\n' +
        'nnbench and spotify are metadata benchmarks: their read is getBlockLocations, their files are empty.',
    );
  program.addCommand(loadgen);
  return program;
}
