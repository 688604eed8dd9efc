/**
 * Who ran, who waited and who sat idle on every CPU over a window, from
 * `perf sched timehist` output: the evidence for "a phase left the cores
 * idle" that /proc's totals cannot give. Each timehist line is one
 * switch-out: when, on which CPU, which thread, how long it had waited
 * runnable (sch delay) and how long it then ran. A sweep over those
 * intervals says, for every instant, how many CPUs were busy, which
 * processes ran, and whether a thread was runnable but not running (the
 * scheduler's placement, not the work, left a CPU idle then).
 */

/** One thread's stretch on a CPU, or runnable and waiting for one (ms on perf's clock). */
export interface SchedInterval {
  readonly start: number;
  readonly end: number;
  readonly pid: number;
  readonly comm: string;
  /** The process's main thread (tid = pid): its name names the process. */
  readonly main: boolean;
  readonly kind: 'run' | 'wait';
}

// "  53652.051375 [0001]  node[31707]   0.308   0.043   0.809" (tid/pid for threads other than the main one)
const LINE = /^\s*(\d+\.\d+)\s+\[(\d+)\]\s+(.+?)\[(\d+)(?:\/(\d+))?\]\s+(\d+\.\d+)\s+(\d+\.\d+)\s+(\d+\.\d+)\s*$/;

/** The run and runnable-wait intervals of `perf sched timehist` text (without -w's wake-up lines, which it skips; idle and unparsable lines too). */
export function parseTimehist(text: string): SchedInterval[] {
  const out: SchedInterval[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const end = Number(m[1]) * 1000;
    const comm = m[3] as string;
    const pid = Number(m[5] ?? m[4]);
    const main = m[5] === undefined;
    const delay = Number(m[7]);
    const run = Number(m[8]);
    if (run > 0) out.push({ start: end - run, end, pid, comm, main, kind: 'run' });
    if (delay > 0) out.push({ start: end - run - delay, end: end - run, pid, comm, main, kind: 'wait' });
  }
  return out;
}

export interface SchedSummary {
  readonly windowMs: number;
  readonly cpus: number;
  /** Share of the window with k CPUs busy, k = 0..cpus. */
  readonly busyShare: readonly number[];
  /** Shares of the CPUs' capacity left idle while some thread was runnable, and while none was. */
  readonly idleWithWaiter: number;
  readonly idleWithoutWaiter: number;
  /** Each process's CPU time ÷ the window (1 = one whole CPU), busiest first. */
  readonly processes: readonly { readonly label: string; readonly cpu: number; readonly alone: number }[];
}

/**
 * The sweep. `labels` names processes by pid (others are "comm pid");
 * `alone` is the share of the window a process was the only thing running,
 * with nothing runnable waiting: every other stage of a pipeline waited on it.
 * The window is cut `marginMs` inside the first and last event (perf's own
 * start and stop).
 */
export function summariseSched(intervals: readonly SchedInterval[], cpus: number, labels: ReadonlyMap<number, string> = new Map(), marginMs = 5): SchedSummary {
  if (intervals.length === 0) return { windowMs: 0, cpus, busyShare: new Array<number>(cpus + 1).fill(0), idleWithWaiter: 0, idleWithoutWaiter: 0, processes: [] };
  let first = Infinity;
  let last = -Infinity;
  for (const i of intervals) {
    first = Math.min(first, i.start);
    last = Math.max(last, i.end);
  }
  const from = first + marginMs;
  const to = last - marginMs;
  const names = new Map<number, string>();
  const edges: { t: number; pid: number; run: number; wait: number }[] = [];
  for (const i of intervals) {
    const start = Math.max(i.start, from);
    const end = Math.min(i.end, to);
    if (end <= start) continue;
    if (i.main || !names.has(i.pid)) names.set(i.pid, `${i.comm} ${i.pid}`);
    const run = i.kind === 'run' ? 1 : 0;
    edges.push({ t: start, pid: i.pid, run, wait: 1 - run }, { t: end, pid: i.pid, run: -run, wait: run - 1 });
  }
  edges.sort((a, b) => a.t - b.t);
  const running = new Map<number, number>();
  let busy = 0;
  let waiting = 0;
  const busyTime = new Array<number>(cpus + 1).fill(0);
  const cpuTime = new Map<number, number>();
  const aloneTime = new Map<number, number>();
  let idleWaiter = 0;
  let idleNone = 0;
  let t = from;
  for (const e of edges) {
    const dt = e.t - t;
    if (dt > 0) {
      const b = Math.min(busy, cpus);
      busyTime[b] = (busyTime[b] as number) + dt;
      if (waiting > 0) idleWaiter += (cpus - b) * dt;
      else idleNone += (cpus - b) * dt;
      for (const [pid, n] of running) if (n > 0) cpuTime.set(pid, (cpuTime.get(pid) ?? 0) + n * dt);
      if (busy === 1 && waiting === 0) for (const [pid, n] of running) if (n > 0) aloneTime.set(pid, (aloneTime.get(pid) ?? 0) + dt);
      t = e.t;
    }
    busy += e.run;
    waiting += e.wait;
    running.set(e.pid, (running.get(e.pid) ?? 0) + e.run);
  }
  const window = to - from;
  const processes = [...cpuTime.entries()]
    .map(([pid, ms]) => ({ label: labels.get(pid) ?? (names.get(pid) as string), cpu: ms / window, alone: (aloneTime.get(pid) ?? 0) / window }))
    .sort((a, b) => b.cpu - a.cpu);
  return {
    windowMs: window,
    cpus,
    busyShare: busyTime.map((ms) => ms / window),
    idleWithWaiter: idleWaiter / (cpus * window),
    idleWithoutWaiter: idleNone / (cpus * window),
    processes,
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

/** The summary as the bench prints it. */
export function schedSummaryText(s: SchedSummary, top = 8): string {
  const lines = [
    `scheduler timeline over ${s.windowMs.toFixed(0)} ms on ${s.cpus} CPUs (perf sched timehist)`,
    `CPUs busy: ${s.busyShare.map((x, k) => `${k}: ${pct(x)}`).join(', ')} of the time`,
    `capacity idle: ${pct(s.idleWithWaiter + s.idleWithoutWaiter)}, of it ${pct(s.idleWithWaiter)} while a thread waited runnable (placement) and ${pct(s.idleWithoutWaiter)} while none did (nothing to run: the work waited on a busy stage)`,
    'process                          CPU (1 = one CPU)  ran alone, nothing waiting (share of the time)',
  ];
  for (const p of s.processes.slice(0, top)) lines.push(`${p.label.padEnd(32)} ${p.cpu.toFixed(3).padStart(17)}  ${pct(p.alone).padStart(10)}`);
  return lines.join('\n');
}
