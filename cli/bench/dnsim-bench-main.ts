import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientPool } from '../../loadgen/client-pool';
import { MetadataOnlyFileDataClient } from '../../loadgen/file-data-client';
import { createProgressReporter, type ProgressStyle } from '../../loadgen/progress-reporter';
import { formatPhase } from '../../loadgen/result-table';
import { spawnNamenode, type NamenodeChild } from '../fleet/namenode-child';
import { parseNonNegativeInt, parsePositiveInt } from '../options';
import { runDnsimWithSeed } from './dnsim-run';
import { startLocalFleet } from './local-fleet';
import { progressOption, runMain } from './run-main';

interface DnsimBenchFlags {
  namenodes: number;
  datanodes: number;
  heartbeats: number;
  threads: number;
  files: number;
  blocksPerFile: number;
  blocksPerReport: number;
  reporters: number;
  removeEvery: number;
  progress: ProgressStyle;
}

/**
 * `npm run bench:dnsim`: "nnbench blockReport" — the datanode protocol at
 * scale against the embedded default (a private MariaDB, namenodes as
 * child processes): simulated datanodes register and heartbeat every
 * namenode, write files whose targets send incremental reports, and send
 * full reports of bulk-loaded blocks. Prints ops/s and the database
 * statements per heartbeat and per reported block. Asserts nothing.
 */
async function benchDnsim(flags: DnsimBenchFlags): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nnfleet-dnsim-'));
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  say(`nnfleet bench:dnsim (nnbench blockReport): ${cpus().length} cores, ${flags.namenodes} namenode(s), ${flags.datanodes} simulated datanodes`);
  const fleet = await startLocalFleet(dir);
  const more: NamenodeChild[] = [];
  let pool: ClientPool | undefined;
  try {
    for (let i = 1; i < flags.namenodes; i++) {
      more.push(await spawnNamenode({ name: `dnsim-namenode-${i}`, host: '127.0.0.1', rpcPort: 0, httpPort: 0, mysqlUrl: fleet.mysqlUrl, logDir: join(dir, 'logs'), logLevel: 'warn' }));
    }
    const namenodes = [fleet.address, ...more.map((n) => `127.0.0.1:${n.rpcPort}`)];
    pool = await ClientPool.open({ namenodes, user: fleet.superuser, connections: Math.min(flags.threads, 32) });
    const ctx = { pool, fileData: new MetadataOnlyFileDataClient(), progress: createProgressReporter(flags.progress), user: fleet.superuser };
    const phases = await runDnsimWithSeed(ctx, {
      namenodes,
      datanodeKey: fleet.datanodeKeyFile,
      mysql: fleet.mysql,
      datanodes: flags.datanodes,
      heartbeats: flags.heartbeats,
      threads: flags.threads,
      files: flags.files,
      blocksPerFile: flags.blocksPerFile,
      replication: 3,
      dir: '/dnsim',
      blocksPerReport: flags.blocksPerReport,
      reporters: flags.reporters,
      removeEvery: flags.removeEvery,
    });
    for (const phase of phases) say(`\n${formatPhase(phase)}`);
  } finally {
    await pool?.close();
    await Promise.all(more.map((n) => n.stop()));
    await fleet.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function program(): Command {
  return new Command('bench:dnsim')
    .description('datanode protocol at scale: simulated datanodes, heartbeats, incremental and full block reports')
    .option('--namenodes <n>', 'namenodes of the fleet; every datanode heartbeats each', parsePositiveInt, 1)
    .option('--datanodes <n>', 'simulated datanodes', parsePositiveInt, 1000)
    .option('--heartbeats <n>', 'heartbeat rounds', parseNonNegativeInt, 3)
    .option('--threads <n>', 'concurrent calls', parsePositiveInt, 64)
    .option('--files <n>', 'files written with addBlock, their targets sending incremental reports', parseNonNegativeInt, 200)
    .option('--blocks-per-file <n>', 'blocks per written file', parsePositiveInt, 2)
    .option('--blocks-per-report <n>', 'blocks in each full report (bulk-loaded)', parseNonNegativeInt, 100_000)
    .option('--reporters <n>', 'datanodes holding bulk-loaded blocks (each reports --blocks-per-report)', parsePositiveInt, 6)
    .option('--remove-every <n>', 'the last full report leaves out every n-th block', parseNonNegativeInt, 10)
    .addOption(progressOption())
    .action((flags: DnsimBenchFlags) => benchDnsim(flags));
}

if (require.main === module) runMain('bench:dnsim', program());
