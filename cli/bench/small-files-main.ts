import { Command } from 'commander';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createMysqlPool } from '../../schema/mysql-config';
import { parseNonNegativeInt, parsePositiveInt } from '../options';
import { startBenchDatanodes } from './bench-datanodes';
import { CHECKOUT_ROOT } from './checkout-root';
import { mergeSummaries, profileSummaryText, summariseCpuProfile, type CpuProfile } from './cpuprofile-summary';
import { startLocalFleet } from './local-fleet';
import { startProfiled } from './profiled-children';
import { runMain } from './run-main';
import { measureSmallFiles, smallFilesFiguresText } from './small-files-section';
import { measureBlockOpStatements } from './block-op-statements';
import { blockOpStatementsText } from './data-tables';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';

interface SmallBenchFlags {
  files: number;
  threads: number;
  bytes: number;
  replication: number;
  datanodes: number;
  repeat: number;
  warmup: number;
  profile: boolean;
  steps: boolean;
  top: number;
  outDir: string;
  /** `--no-inline-writes`: the datanodes' replica file operations go through libuv's thread pool. */
  inlineWrites: boolean;
  /** `--no-mirror-reuse`: a new connection to the next datanode for every block. */
  mirrorReuse: boolean;
}

/** Microseconds on the monotonic clock V8's profiler stamps samples with. */
const nowMicros = (): number => Number(process.hrtime.bigint() / 1000n);
const say = (line: string): void => void process.stdout.write(`${line}\n`);

/**
 * `npm run bench:small -- --files 2000 --threads 16 [--repeat 3] [--profile]`:
 * the data section's small-file figure of `npm run bench` alone (the same
 * measureSmallFiles over a namenode, MariaDB and datanode processes), so a
 * change to the small-file write path can be measured in a minute. With
 * --profile the namenode and the datanodes run under V8's sampling profiler
 * and the last round is summarised into their top frames.
 */
async function smallBench(flags: SmallBenchFlags): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nnfleet-smallbench-'));
  try {
    await smallBenchIn(dir, flags);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function smallBenchIn(dir: string, flags: SmallBenchFlags): Promise<void> {
  const profDir = join(dir, 'profiles');
  mkdirSync(profDir, { recursive: true });
  const { fleet, datanodes } = await startProfiled(flags.profile, join(profDir, '%p.cpuprofile'), async () => {
    const fleet = await startLocalFleet(dir);
    try {
      const datanodes = await startBenchDatanodes(join(dir, 'data'), { host: '127.0.0.1', rpcPort: fleet.namenode.rpcPort }, fleet.datanodeKeyFile, flags.datanodes, {
        name: 'datanode',
        extraArgs: [...(flags.inlineWrites ? [] : ['--no-inline-writes']), ...(flags.mirrorReuse ? [] : ['--no-mirror-reuse'])],
      });
      return { fleet, datanodes };
    } catch (err) {
      await fleet.stop();
      throw err;
    }
  });
  const window = { fromMicros: 0, toMicros: 0 };
  const nnPid = fleet.namenode.pid;
  try {
    const dbPool = createMysqlPool(fleet.mysql, { connectionLimit: 2 });
    try {
      for (let round = 1; round <= flags.repeat; round++) {
        const f = await measureSmallFiles({
          address: fleet.address,
          user: fleet.superuser,
          dbPool,
          namenodePid: nnPid,
          datanodePids: datanodes.children.map((c) => c.pid),
          databasePid: fleet.mariadb.pid,
          files: flags.files,
          threads: flags.threads,
          bytes: flags.bytes,
          replication: flags.replication,
          dir: `/smallbench/r${round}`,
          warmupFiles: round === 1 ? flags.warmup : 0,
          keepDir: true,
          onMark: (m) => void (m === 'start' ? (window.fromMicros = nowMicros()) : (window.toMicros = nowMicros())),
        });
        say(`round ${round} (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})\n${smallFilesFiguresText(f)}\n`);
      }
      if (flags.steps) {
        const clients = await Promise.all(
          Array.from({ length: 4 }, (_, i) => NamenodeClient.connect(fleet.address, fleet.superuser, `nnfleet_bench_steps_${process.pid}_${i}`, new RpcCounter())),
        );
        try {
          const rows = await measureBlockOpStatements({ clients, dbPool, files: flags.files, bytes: flags.bytes, replication: flags.replication, dir: '/smallbench/steps', cpuPids: { namenode: nnPid, database: fleet.mariadb.pid } });
          say(`DB statements and CPU per block step, one step at a time (${flags.files} files)\n${blockOpStatementsText(rows)}\n`);
        } finally {
          await Promise.all(clients.map((c) => c.close()));
        }
      }
    } finally {
      await dbPool.end();
    }
  } finally {
    await datanodes.stop(); // each writes its profile as it exits
    await fleet.stop();
  }
  if (!flags.profile) return;
  const profiles = readdirSync(profDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => ({ pid: Number(f.split('.')[0]), profile: JSON.parse(readFileSync(join(profDir, f), 'utf8')) as CpuProfile }));
  const nn = profiles.filter((p) => p.pid === nnPid).map((p) => summariseCpuProfile(p.profile, CHECKOUT_ROOT, window));
  const dn = profiles.filter((p) => p.pid !== nnPid).map((p) => summariseCpuProfile(p.profile, CHECKOUT_ROOT, window));
  const text = [
    `namenode during the last round's ${flags.files} files\n${profileSummaryText(mergeSummaries(nn), flags.top, flags.files)}`,
    `datanodes (${dn.length} processes, summed) during the last round's ${flags.files} files\n${profileSummaryText(mergeSummaries(dn), flags.top, flags.files)}`,
  ].join('\n\n');
  say(text);
  const outDir = resolve(flags.outDir);
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `small-files-${new Date().toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.txt`);
  writeFileSync(path, `${text}\n`);
  say(`\nwrote ${path}`);
}

function program(): Command {
  return new Command('bench:small')
    .description("the data section's small-file figure alone: files/s, p50/p99, statements and CPU per file, where a file's time goes")
    .option('--files <n>', 'files per round', parsePositiveInt, 2000)
    .option('--threads <n>', 'concurrent writers, one connection each', parsePositiveInt, 16)
    .option('--bytes <n>', 'bytes per file', parsePositiveInt, 4096)
    .option('--replication <n>', 'replication (pipeline length)', parsePositiveInt, 3)
    .option('--datanodes <n>', 'datanode processes', parsePositiveInt, 3)
    .option('--repeat <n>', 'rounds', parsePositiveInt, 3)
    .option('--warmup <n>', 'files written before the first round, not counted (the namenode\'s JIT settles over thousands)', parseNonNegativeInt, 3000)
    .option('--steps', "then the namenode's DB statements per step (create, addBlock, reports, complete), one step at a time", false)
    .option('--profile', 'namenode and datanodes under V8 sampling profiler; top frames of the last round', false)
    .option('--top <n>', 'frames listed per profile', parsePositiveInt, 20)
    .option('--out-dir <dir>', 'where the profile summary goes', 'bench/profiles')
    .option('--no-inline-writes', "datanodes open, write, close and rename replicas through libuv's thread pool (nnfleet datanode --no-inline-writes), for comparison")
    .option('--no-mirror-reuse', 'datanodes open a new connection to the next datanode for every block (nnfleet datanode --no-mirror-reuse), for comparison')
    .action((flags: SmallBenchFlags) => smallBench(flags));
}

if (require.main === module) runMain('bench:small', program());
