import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Command } from 'commander';
import { parseNonNegativeInt, parsePositiveInt } from '../options';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { dataCpuSampler, measureDataThroughput, type DataThroughputRow } from '../../loadgen/data-throughput';
import { runMain } from './run-main';

/** What one client process measures: `rounds` rounds of every replication factor after `warmup` unmeasured ones. */
export interface DataClientRun {
  readonly address: string;
  readonly user: string;
  readonly bytes: number;
  readonly blockSize: number;
  readonly replications: readonly number[];
  readonly warmup: number;
  readonly rounds: number;
  readonly dir: string;
  readonly datanodePids: readonly number[];
  /** This module's built file, when the caller is not it (a test running the TypeScript source). */
  readonly script?: string;
}

const MAX_SECONDS = 600;

/**
 * The data section's big-file rounds in a client process of its own, as
 * `hdfs dfs -put` and `-cat` are: a fresh V8 heap, not the bench process
 * that has run every section before it. (After the HDFS peer section the
 * bench process collected its whole heap ~15 times per 256 MiB read and
 * read at ~150 MiB/s on 7–8 ms of CPU per MiB; a fresh one at 2–2.5;
 * bench/README.md, stop 46.) Resolves to every measured round.
 */
export function runDataClient(run: DataClientRun): Promise<DataThroughputRow[]> {
  const args = [
    run.script ?? join(__dirname, 'data-client-main.js'),
    '--address', run.address,
    '--user', run.user,
    '--bytes', String(run.bytes),
    '--block-size', String(run.blockSize),
    '--replications', run.replications.join(','),
    '--warmup', String(run.warmup),
    '--rounds', String(run.rounds),
    '--dir', run.dir,
    '--datanode-pids', run.datanodePids.join(','),
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: MAX_SECONDS * 1000, maxBuffer: 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`data client: ${stderr.trim() || err.message}`));
        return;
      }
      try {
        resolve((JSON.parse(stdout) as { rounds: DataThroughputRow[] }).rounds);
      } catch {
        reject(new Error(`data client printed no result: ${stdout.slice(0, 200)}`));
      }
    });
  });
}

interface Flags {
  address: string;
  user: string;
  bytes: number;
  blockSize: number;
  replications: string;
  warmup: number;
  rounds: number;
  dir: string;
  datanodePids: string;
}

const numbers = (list: string): number[] => list.split(',').filter((x) => x !== '').map((x) => parsePositiveInt(x));

async function dataClient(flags: Flags): Promise<void> {
  const nn = await NamenodeClient.connect(flags.address, flags.user, `nnfleet_bench_data_${process.pid}`, new RpcCounter());
  try {
    const cpu = dataCpuSampler(numbers(flags.datanodePids));
    const rounds: DataThroughputRow[] = [];
    for (let round = 0; round < flags.warmup + flags.rounds; round++) {
      const measured = await measureDataThroughput(nn, { bytes: flags.bytes, blockSize: flags.blockSize, replications: numbers(flags.replications), dir: flags.dir, cpu });
      if (round >= flags.warmup) rounds.push(...measured);
    }
    process.stdout.write(`${JSON.stringify({ rounds })}\n`);
  } finally {
    await nn.close();
  }
}

function program(): Command {
  return new Command('data-client')
    .description("the bench data section's client in its own process: one big file written and read per replication factor and round; prints the rounds as JSON")
    .requiredOption('--address <host:port>', 'namenode')
    .requiredOption('--user <name>', 'user the calls run as')
    .requiredOption('--bytes <n>', 'file size', parsePositiveInt)
    .requiredOption('--block-size <n>', 'block size in bytes', parsePositiveInt)
    .option('--replications <list>', 'replication factors, comma-separated', '1,3')
    .option('--warmup <n>', 'unmeasured rounds first', parseNonNegativeInt, 1)
    .option('--rounds <n>', 'measured rounds', parsePositiveInt, 3)
    .requiredOption('--dir <path>', 'an existing directory the files go in')
    .option('--datanode-pids <list>', 'datanode processes whose CPU is counted, comma-separated', '')
    .action((flags: Flags) => dataClient(flags));
}

if (require.main === module) runMain('data-client', program());
