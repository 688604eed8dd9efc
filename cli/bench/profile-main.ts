import { Command, Option } from 'commander';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parsePositiveInt } from '../options';
import { ClientPool } from '../../loadgen/client-pool';
import { processCpuMicros } from '../../loadgen/process-cpu';
import { MetadataOnlyFileDataClient } from '../../loadgen/file-data-client';
import { buildNamespace } from '../../loadgen/namespace-builder';
import { NamespaceLayout } from '../../loadgen/namespace-layout';
import { NNBENCH_OPS, type NnbenchOp } from '../../loadgen/nnbench-mode';
import { createProgressReporter, type ProgressStyle } from '../../loadgen/progress-reporter';
import { formatPhase } from '../../loadgen/result-table';
import type { ModeContext } from '../../loadgen/run-phase';
import { nnbenchPhase } from './bench-workload';
import { CHECKOUT_ROOT } from './checkout-root';
import { profileSummaryText, summariseCpuProfile, type CpuProfile } from './cpuprofile-summary';
import { startLocalFleet } from './local-fleet';
import { progressOption, runMain } from './run-main';

interface ProfileFlags {
  op: NnbenchOp;
  seconds: number;
  threads: number;
  connections?: number;
  dirs: number;
  filesPerDir: number;
  top: number;
  intervalUs: number;
  outDir: string;
  progress: ProgressStyle;
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
  process.env['NODE_OPTIONS'] = `${saved['NODE_OPTIONS'] ?? ''} --require=${join(__dirname, 'cpu-profile-preload.js')}`.trim();
  process.env['NNFLEET_CPU_PROFILE'] = profPath;
  process.env['NNFLEET_CPU_PROFILE_INTERVAL_US'] = String(flags.intervalUs);
  let fleet;
  try {
    fleet = await startLocalFleet(dir);
  } finally {
    for (const k of ['NODE_OPTIONS', 'NNFLEET_CPU_PROFILE', 'NNFLEET_CPU_PROFILE_INTERVAL_US']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
  say(`nnfleet profile: namenode pid ${fleet.namenode.pid} under V8's sampling profiler (interval ${flags.intervalUs} µs), op ${flags.op}`);
  let window: { fromMicros: number; toMicros: number };
  let ops: number;
  try {
    const clients = await ClientPool.open({ namenodes: [fleet.address], user: fleet.superuser, connections: flags.connections ?? flags.threads });
    try {
      const progress = createProgressReporter(flags.progress);
      const ctx: ModeContext = { pool: clients, fileData: new MetadataOnlyFileDataClient(), progress, user: fleet.superuser, opTimeoutMs: 30_000 };
      const layout = new NamespaceLayout('/profile', flags.dirs * flags.filesPerDir, flags.filesPerDir);
      await buildNamespace(ctx, layout, flags.threads, 'profile namespace');
      const from = nowMicros();
      const cpuBefore = processCpuMicros(fleet.namenode.pid);
      const phase = await nnbenchPhase(ctx, layout, flags.op, { ...flags, spotifySeconds: flags.seconds });
      const cpu = processCpuMicros(fleet.namenode.pid) - cpuBefore;
      window = { fromMicros: from, toMicros: nowMicros() };
      ops = phase.totalOps + phase.totalErrors;
      say(`\n${formatPhase(phase)}`);
      // /proc's user+system time: what the namenode really ran, where the profiler's busy time also counts time preempted.
      say(`namenode CPU (/proc/${fleet.namenode.pid}/stat user+system): ${Math.round(cpu / 1000)} ms, ${ops > 0 ? (cpu / ops).toFixed(1) : '-'} µs/op`);
    } finally {
      await clients.close();
    }
  } finally {
    await fleet.stop(); // the namenode writes its profile as it exits
  }
  if (!existsSync(profPath)) throw new Error(`the namenode wrote no ${profPath}; its log: ${fleet.namenode.logPath}`);
  const cpuProfile = JSON.parse(readFileSync(profPath, 'utf8')) as CpuProfile;
  let summary = summariseCpuProfile(cpuProfile, CHECKOUT_ROOT, window);
  if (summary.samples === 0) {
    say('* no sample fell in the phase window (clocks disagree?): the whole profile is summarised');
    summary = summariseCpuProfile(cpuProfile, CHECKOUT_ROOT);
  }
  const text = profileSummaryText(summary, flags.top, ops);
  const outDir = resolve(flags.outDir);
  mkdirSync(outDir, { recursive: true });
  const stem = join(outDir, `${flags.op}-${new Date().toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}`);
  copyFileSync(profPath, `${stem}.cpuprofile`);
  writeFileSync(`${stem}.txt`, `${text}\n`);
  say(`\nnamenode CPU profile during nnbench ${flags.op} (${flags.threads} threads, ${flags.seconds} s)\n${text}`);
  say(`\nwrote ${stem}.cpuprofile (open in Chrome DevTools or speedscope) and ${stem}.txt`);
}

function program(): Command {
  return new Command('profile')
    .description("the namenode's CPU profile under one nnbench operation, summarised into its top frames")
    .addOption(new Option('--op <op>', 'nnbench operation').choices([...NNBENCH_OPS]).default('fileStatus'))
    .option('--seconds <s>', 'length of the profiled phase', parsePositiveInt, 10)
    .option('--threads <n>', 'client threads (and connections)', parsePositiveInt, 16)
    .option('--connections <n>', 'client connections the threads share (default: one per thread)', parsePositiveInt)
    .option('--dirs <n>', 'directories in the namespace', parsePositiveInt, 20)
    .option('--files-per-dir <n>', 'files per directory', parsePositiveInt, 50)
    .option('--top <n>', 'frames and sources to print', parsePositiveInt, 25)
    .option('--interval-us <n>', 'sampling interval of --cpu-prof', parsePositiveInt, 1000)
    .option('--out-dir <dir>', 'where the .cpuprofile and the summary go', 'bench/profiles')
    .addOption(progressOption())
    .action((flags: ProfileFlags) => profile(flags));
}

if (require.main === module) runMain('profile', program());
