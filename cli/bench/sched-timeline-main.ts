import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { parseTimehist, schedSummaryText, summariseSched } from './sched-timeline';

const run = promisify(execFile);

/**
 * `node dist/cli/bench/sched-timeline-main.js --seconds 1 --label PID=namenode …`:
 * records the scheduler of the whole machine (`perf sched record -a`) while
 * whatever runs now runs (start a bench phase first), and prints who ran,
 * who waited and how much of the CPUs sat idle (sched-timeline.ts).
 */
async function main(): Promise<void> {
  const program = new Command('sched-timeline')
    .description('who ran, who waited runnable and how long the CPUs sat idle, from perf sched, over the next few seconds')
    .option('--seconds <s>', 'how long to record', (v) => Number(v), 1)
    .option('--label <pid=name...>', 'name a process by pid (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--top <n>', 'processes to print', (v) => Number(v), 8)
    .parse();
  const o = program.opts<{ seconds: number; label: string[]; top: number }>();
  const labels = new Map<number, string>();
  for (const l of o.label) {
    const [pid, name] = l.split('=');
    if (!pid || !name || !Number.isInteger(Number(pid))) throw new Error(`--label wants PID=name, got ${l}`);
    labels.set(Number(pid), name);
  }
  const dir = await mkdtemp(join(tmpdir(), 'sched-'));
  try {
    const data = join(dir, 'sched.data');
    await run('perf', ['sched', 'record', '-a', '-q', '-o', data, '--', 'sleep', String(o.seconds)]);
    const { stdout } = await run('perf', ['sched', 'timehist', '-i', data], { maxBuffer: 256 << 20 });
    console.log(schedSummaryText(summariseSched(parseTimehist(stdout), cpus().length, labels), o.top));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
