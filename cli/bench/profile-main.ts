import { Command, Option } from 'commander';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parsePositiveInt } from '../options';
import { ClientPool } from '../../loadgen/client-pool';
import { processCpuMicros } from '../../loadgen/process-cpu';
import { readProcessSched, schedPerOp } from '../../loadgen/process-sched';
import { formatTextTable } from '../../loadgen/text-table';
import { createMysqlPool } from '../../schema/mysql-config';
import { PHASE_GAUGE_TITLES, phaseGaugeRow, readPhaseGauges } from './phase-gauges';
import { MetadataOnlyFileDataClient } from '../../loadgen/file-data-client';
import { buildNamespace } from '../../loadgen/namespace-builder';
import { NamespaceLayout } from '../../loadgen/namespace-layout';
import { NNBENCH_OPS, type NnbenchOp } from '../../loadgen/nnbench-mode';
import { createProgressReporter, type ProgressStyle } from '../../loadgen/progress-reporter';
import { formatPhase } from '../../loadgen/result-table';
import type { ModeContext } from '../../loadgen/run-phase';
import { nnbenchPhase, SPOTIFY_LABEL } from './bench-workload';
import { SpotifyMix } from '../../loadgen/spotify-mode';
import { CHECKOUT_ROOT } from './checkout-root';
import { profileSummaryText, summariseCpuProfile, type CpuProfile } from './cpuprofile-summary';
import { startLocalFleet } from './local-fleet';
import { PerfRecording } from './perf-record';
import { startRedisServer } from '../local/redis-server';
import { progressOption, runMain } from './run-main';

/** The nnbench operations, plus `spotify`: the Spotify mix over the same namespace. */
type ProfiledOp = NnbenchOp | 'spotify';
const PROFILED_OPS: readonly ProfiledOp[] = [...NNBENCH_OPS, 'spotify'];

interface ProfileFlags {
  op: ProfiledOp;
  seconds: number;
  threads: number;
  connections?: number;
  phases?: { op: ProfiledOp; seconds: number }[];
  dirs: number;
  filesPerDir: number;
  top: number;
  intervalUs: number;
  outDir: string;
  progress: ProgressStyle;
  /** Run the namenode with the coherent cache on (a private redis-server). */
  redis?: boolean;
  /** Also record each phase with Linux perf (on-CPU samples; see perf-record.ts). */
  perf?: boolean;
}

/** Microseconds on the monotonic clock V8's profiler stamps samples with. */
const nowMicros = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * `npm run profile -- --op fileStatus`: the bench's local fleet with its
 * namenode under V8's CPU profiler (what `node --cpu-prof` runs), one nnbench phase against it, then the
 * namenode's self time per frame and per source during that phase alone (the
 * namespace build before it is cut out by time). The .cpuprofile is kept
 * for Chrome DevTools or speedscope.
 */
async function profile(flags: ProfileFlags): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nnfleet-profile-'));
  try {
    await profileIn(dir, flags);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function profileIn(dir: string, flags: ProfileFlags): Promise<void> {
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const profPath = join(dir, 'namenode.cpuprofile');
  // Only the namenode child starts while these are set (MariaDB is no node process).
  const saved = { ...process.env };
  process.env['NODE_OPTIONS'] = `${saved['NODE_OPTIONS'] ?? ''} --require=${join(__dirname, 'cpu-profile-preload.js')}${flags.perf ? ' --perf-basic-prof' : ''}`.trim();
  process.env['NNFLEET_CPU_PROFILE'] = profPath;
  process.env['NNFLEET_CPU_PROFILE_INTERVAL_US'] = String(flags.intervalUs);
  const redis = flags.redis ? await startRedisServer({ dir: join(dir, 'redis'), host: '127.0.0.1', port: 0 }) : undefined;
  let fleet;
  try {
    fleet = await startLocalFleet(dir, 'warn', redis ? ['-D', `redisUrl=${redis.url}`] : []);
  } catch (err) {
    await redis?.stop();
    throw err;
  } finally {
    for (const k of ['NODE_OPTIONS', 'NNFLEET_CPU_PROFILE', 'NNFLEET_CPU_PROFILE_INTERVAL_US']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
  const phases = flags.phases ?? [{ op: flags.op, seconds: flags.seconds }];
  say(`nnfleet profile: namenode pid ${fleet.namenode.pid}${redis ? ' (coherent cache on)' : ''} under V8's sampling profiler (interval ${flags.intervalUs} µs), phases ${phases.map((p) => `${p.op}:${p.seconds}s`).join(', ')}`);
  const done: { label: string; window: { fromMicros: number; toMicros: number }; ops: number; row: string[]; perf?: string }[] = [];
  const outDir = resolve(flags.outDir);
  mkdirSync(outDir, { recursive: true });
  const db = createMysqlPool(fleet.mysql, { connectionLimit: 2 });
  try {
    const clients = await ClientPool.open({ namenodes: [fleet.address], user: fleet.superuser, connections: flags.connections ?? flags.threads });
    try {
      const progress = createProgressReporter(flags.progress);
      const ctx: ModeContext = { pool: clients, fileData: new MetadataOnlyFileDataClient(), progress, user: fleet.superuser, opTimeoutMs: 30_000 };
      const layout = new NamespaceLayout('/profile', flags.dirs * flags.filesPerDir, flags.filesPerDir);
      await buildNamespace(ctx, layout, flags.threads, 'profile namespace');
      const gauges = async () => readPhaseGauges(fleet.namenode.httpPort, processCpuMicros(fleet.namenode.pid), db);
      // One mix for every spotify phase: each goes on from the namespace the one before it left.
      const spotify = new SpotifyMix(layout, { threads: flags.threads, seed: 1, group: 'supergroup' });
      for (const [i, p] of phases.entries()) {
        const before = await gauges();
        const schedBefore = readProcessSched(fleet.namenode.pid);
        const perf = flags.perf ? PerfRecording.start(fleet.namenode.pid, join(outDir, `perf-${process.pid}-${i + 1}-${p.op}.data`)) : undefined;
        const from = nowMicros();
        const shape = { ...flags, seconds: p.seconds, spotifySeconds: p.seconds };
        const phase = p.op === 'spotify' ? await spotify.phase(ctx, SPOTIFY_LABEL, p.seconds) : await nnbenchPhase(ctx, layout, p.op, shape);
        const window = { fromMicros: from, toMicros: nowMicros() };
        const schedAfter = readProcessSched(fleet.namenode.pid);
        const perfText = await perf?.stop(flags.top);
        const after = await gauges();
        const ops = phase.totalOps + phase.totalErrors;
        const label = `${i + 1} ${p.op}`;
        say(`\n${formatPhase(phase)}`);
        // /proc's user+system time is what the namenode really ran; the profiler's busy time also counts time it was preempted.
        say(`namenode CPU (/proc/${fleet.namenode.pid}/stat user+system): ${Math.round((after.cpuMicros - before.cpuMicros) / 1000)} ms, ${ops > 0 ? ((after.cpuMicros - before.cpuMicros) / ops).toFixed(1) : '-'} µs/op`);
        say(`namenode ${schedPerOp(schedBefore, schedAfter, ops)}`);
        done.push({ label, window, ops, row: phaseGaugeRow(label, ops, phase.opsPerSec, before, after), ...(perfText ? { perf: perfText } : {}) });
      }
    } finally {
      await clients.close();
    }
  } finally {
    await db.end();
    await fleet.stop(); // the namenode writes its profile as it exits
    await redis?.stop();
  }
  if (!existsSync(profPath)) throw new Error(`the namenode wrote no ${profPath}; its log: ${fleet.namenode.logPath}`);
  const cpuProfile = JSON.parse(readFileSync(profPath, 'utf8')) as CpuProfile;
  const stem = join(outDir, `${phases.map((p) => p.op).join('-')}-${new Date().toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}`);
  copyFileSync(profPath, `${stem}.cpuprofile`);
  const texts: string[] = [];
  for (const d of done) {
    let summary = summariseCpuProfile(cpuProfile, CHECKOUT_ROOT, d.window);
    if (summary.samples === 0) {
      say('* no sample fell in the phase window (clocks disagree?): the whole profile is summarised');
      summary = summariseCpuProfile(cpuProfile, CHECKOUT_ROOT);
    }
    texts.push(`namenode CPU profile during phase ${d.label} (${flags.threads} threads)\n${profileSummaryText(summary, flags.top, d.ops)}`);
    if (d.perf) texts.push(d.perf);
  }
  const table = formatTextTable(
    PHASE_GAUGE_TITLES.map((title, i) => ({ title, align: i === 0 ? 'left' : 'right' })),
    done.map((d) => d.row),
  );
  texts.push(`per phase (GC and heap from the namenode's /metrics, statements and InnoDB history from the database)\n${table}`);
  writeFileSync(`${stem}.txt`, `${texts.join('\n\n')}\n`);
  say(`\n${texts.join('\n\n')}`);
  say(`\nwrote ${stem}.cpuprofile (open in Chrome DevTools or speedscope) and ${stem}.txt`);
}

/** `fileStatus,create:60,fileStatus`: operations in order, each with its own seconds or the default. */
function parsePhases(list: string, seconds: number): { op: ProfiledOp; seconds: number }[] {
  return list.split(',').map((item) => {
    const [op, s] = item.split(':');
    if (!(PROFILED_OPS as readonly string[]).includes(op ?? '')) throw new Error(`unknown nnbench operation ${op}`);
    return { op: op as ProfiledOp, seconds: s === undefined ? seconds : parsePositiveInt(s) };
  });
}

function program(): Command {
  return new Command('profile')
    .description("the namenode's CPU profile under one nnbench operation, summarised into its top frames")
    .addOption(new Option('--op <op>', `nnbench operation, or spotify (the ${SPOTIFY_LABEL})`).choices([...PROFILED_OPS]).default('fileStatus'))
    .option('--seconds <s>', 'length of the profiled phase', parsePositiveInt, 10)
    .option('--threads <n>', 'client threads (and connections)', parsePositiveInt, 16)
    .option('--phases <list>', 'several phases in one run, e.g. fileStatus,create:60,fileStatus (op[:seconds]); overrides --op')
    .option('--connections <n>', 'client connections the threads share (default: one per thread)', parsePositiveInt)
    .option('--dirs <n>', 'directories in the namespace', parsePositiveInt, 20)
    .option('--files-per-dir <n>', 'files per directory', parsePositiveInt, 50)
    .option('--redis', 'the namenode with the coherent cache on (a private redis-server, as nnfleet up runs it)')
    .option('--top <n>', 'frames and sources to print', parsePositiveInt, 25)
    .option('--interval-us <n>', 'sampling interval of --cpu-prof', parsePositiveInt, 1000)
    .option('--perf', "also record each phase with Linux perf (on-CPU samples, JavaScript frames named through --perf-basic-prof): V8's sampler counts time the namenode sat preempted in the frame it resumes in")
    .option('--out-dir <dir>', 'where the .cpuprofile and the summary go', 'bench/profiles')
    .addOption(progressOption())
    .action((flags: Omit<ProfileFlags, 'phases'> & { phases?: string }) =>
      profile({ ...flags, phases: flags.phases === undefined ? undefined : parsePhases(flags.phases, flags.seconds) }));
}

if (require.main === module) runMain('profile', program());
