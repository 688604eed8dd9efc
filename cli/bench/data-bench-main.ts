import { Command } from 'commander';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parsePositiveInt } from '../options';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { dataCpuSampler, measureDataThroughput, medianRounds, type DataThroughputRow } from '../../loadgen/data-throughput';
import { startBenchDatanodes } from './bench-datanodes';
import { CHECKOUT_ROOT } from './checkout-root';
import { mergeSummaries, profileSummaryText, summariseCpuProfile, type CpuProfile } from './cpuprofile-summary';
import { cpuPerMiBText, dataThroughputText } from './data-tables';
import { startLocalFleet } from './local-fleet';
import { startProfiled } from './profiled-children';
import { runMain } from './run-main';

interface DataBenchFlags {
  mib: number;
  replication: number;
  datanodes: number;
  repeat: number;
  blockMib: number;
  profile: boolean;
  top: number;
  outDir: string;
  /** `--no-inline-writes`: the datanodes' replica file operations go through libuv's thread pool. */
  inlineWrites: boolean;
}

type Window = { fromMicros: number; toMicros: number };

/** Microseconds on the monotonic clock V8's profiler stamps samples with. */
const nowMicros = (): number => Number(process.hrtime.bigint() / 1000n);

const say = (line: string): void => void process.stdout.write(`${line}\n`);

/**
 * `npm run bench:data -- --mib 256 --replication 3 --repeat 3 [--profile]`:
 * only the data section's big-file figure of `npm run bench` (the same
 * `measureDataThroughput` over the same datanode processes), repeated so a
 * noisy machine can be read within one run. With --profile the datanodes
 * and this process (the client) run under V8's sampling profiler and the
 * last round's write and read are summarised into their top frames.
 */
async function dataBench(flags: DataBenchFlags): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nnfleet-databench-'));
  try {
    await dataBenchIn(dir, flags);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function dataBenchIn(dir: string, flags: DataBenchFlags): Promise<void> {
  const profDir = join(dir, 'profiles');
  mkdirSync(profDir, { recursive: true });
  const fleet = await startLocalFleet(dir);
  const windows = new Map<string, Window>();
  const rows: DataThroughputRow[] = [];
  const marks = new Map<string, number>();
  const client = flags.profile ? startClientProfile() : undefined;
  try {
    const datanodes = await startProfiled(flags.profile, join(profDir, 'datanode-%p.cpuprofile'), () =>
      startBenchDatanodes(join(dir, 'data'), { host: '127.0.0.1', rpcPort: fleet.namenode.rpcPort }, fleet.datanodeKeyFile, flags.datanodes, {
        name: 'datanode',
        ...(flags.inlineWrites ? {} : { extraArgs: ['--no-inline-writes'] }),
      }),
    );
    try {
      const cpu = dataCpuSampler(datanodes.children.map((c) => c.pid));
      const nn = await NamenodeClient.connect(fleet.address, fleet.superuser, `nnfleet_bench_data_${process.pid}`, new RpcCounter());
      try {
        await nn.mkdirs('/benchdata');
        for (let round = 1; round <= flags.repeat; round++) {
          const [row] = await measureDataThroughput(nn, {
            bytes: flags.mib * 1024 * 1024,
            blockSize: flags.blockMib * 1024 * 1024,
            replications: [flags.replication],
            dir: '/benchdata',
            onMark: (mark) => marks.set(mark, nowMicros()),
            cpu,
          });
          const at = (m: string): number => marks.get(m)!;
          windows.set('write', { fromMicros: at('start'), toMicros: at('written') });
          windows.set('read', { fromMicros: at('written'), toMicros: at('read') });
          rows.push(row as DataThroughputRow);
          say(
            `round ${round}: write ${row!.writeMiBps.toFixed(1)} MiB/s (CPU ms/MiB client / DNs / others: ${cpuPerMiBText(row!.writeCpu)}), ` +
              `read ${row!.readMiBps.toFixed(1)} MiB/s (${cpuPerMiBText(row!.readCpu)})`,
          );
        }
      } finally {
        await nn.close();
      }
    } finally {
      await datanodes.stop(); // each writes its profile as it exits
    }
  } finally {
    await fleet.stop();
  }
  say(`\n${flags.mib} MiB at replication ${flags.replication} over ${flags.datanodes} datanode processes, ${flags.repeat} rounds\n${dataThroughputText(rows)}`);
  const [m] = medianRounds(rows);
  say(`median: write ${m!.writeMiBps.toFixed(1)} MiB/s, read ${m!.readMiBps.toFixed(1)} MiB/s`);
  say(
    `median CPU ms per MiB, client / datanodes / others (the machine's load inflates these less than the rates; others is the rest of the machine meanwhile): ` +
      `write ${cpuPerMiBText(m!.writeCpu)}, read ${cpuPerMiBText(m!.readCpu)}`,
  );
  if (!flags.profile) return;
  const clientProfile = await client!.stop();
  const dnProfiles = readdirSync(profDir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => JSON.parse(readFileSync(join(profDir, f), 'utf8')) as CpuProfile);
  if (dnProfiles.length === 0 || !existsSync(profDir)) throw new Error('the datanodes wrote no profile');
  const out: string[] = [];
  for (const phase of ['write', 'read'] as const) {
    const w = windows.get(phase)!;
    const dn = mergeSummaries(dnProfiles.map((p) => summariseCpuProfile(p, CHECKOUT_ROOT, w)));
    out.push(`datanodes (${dnProfiles.length} processes, summed) during the last ${phase}\n${profileSummaryText(dn, flags.top)}`);
    out.push(`client (the bench process) during the last ${phase}\n${profileSummaryText(summariseCpuProfile(clientProfile, CHECKOUT_ROOT, w), flags.top)}`);
  }
  const text = out.join('\n\n');
  say(`\n${text}`);
  const outDir = resolve(flags.outDir);
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `data-${new Date().toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, 'Z')}.txt`);
  writeFileSync(path, `${text}\n`);
  say(`\nwrote ${path}`);
}

/** V8's profiler in this process, from now until stop(). */
function startClientProfile(): { stop(): Promise<CpuProfile> } {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
  return {
    stop: () =>
      new Promise((ok, fail) =>
        session.post('Profiler.stop', (err, result) => {
          session.disconnect();
          if (err) fail(err);
          else ok(result.profile as unknown as CpuProfile);
        }),
      ),
  };
}

function program(): Command {
  return new Command('bench:data')
    .description("the data section's big file alone: write and read MiB/s through datanode processes, optionally profiled")
    .option('--mib <n>', 'file size', parsePositiveInt, 256)
    .option('--replication <n>', 'replication factor (pipeline length)', parsePositiveInt, 3)
    .option('--datanodes <n>', 'datanode processes', parsePositiveInt, 3)
    .option('--repeat <n>', 'rounds of write + read', parsePositiveInt, 3)
    .option('--block-mib <n>', 'block size', parsePositiveInt, 128)
    .option('--profile', 'datanodes and client under V8 sampling profiler; top frames of the last write and read', false)
    .option('--top <n>', 'frames listed per profile', parsePositiveInt, 15)
    .option('--out-dir <dir>', 'where the profile summary goes', 'bench/profiles')
    .option('--no-inline-writes', "datanodes open, write, close and rename replicas through libuv's thread pool (nnfleet datanode --no-inline-writes), for comparison")
    .action((flags: DataBenchFlags) => dataBench(flags));
}

if (require.main === module) runMain('bench:data', program());
