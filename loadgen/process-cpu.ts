import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clockTicks: number | undefined;

/** Clock ticks per second of /proc times (USER_HZ; 100 on Linux in practice). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User and system CPU time one process has used so far, in µs, from /proc/PID/stat. */
export function processCpuTimes(pid: number): { readonly userMicros: number; readonly systemMicros: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const micros = (ticks: string | undefined): number => (Number(ticks) / ticksPerSecond()) * 1_000_000;
  return { userMicros: micros(fields[11]), systemMicros: micros(fields[12]) };
}

/**
 * CPU time (user + system) one process has used so far, in µs, from
 * /proc/PID/stat: only that process, not the load generator or MariaDB
 * beside it. Resolution is one clock tick (10 ms), fine over phases of
 * seconds.
 */
export function processCpuMicros(pid: number): number {
  const t = processCpuTimes(pid);
  return t.userMicros + t.systemMicros;
}

/**
 * CPU time the whole machine has been busy so far, in µs, summed over its
 * cores, from /proc/stat (user, nice, system, irq, softirq and steal):
 * beside one process's own time it says what everything else on a shared
 * box took over the same window.
 */
export function machineBusyMicros(): number {
  return machineCpu().busyMicros;
}

/**
 * machineBusyMicros with its parts: time the hypervisor gave the VM's cores
 * to someone else (steal), which no process's CPU time counts, and
 * interrupt and softirq time (the loopback network's receive work among
 * it), which tick-based accounting (this kernel's) also charges to the
 * process each tick interrupted; and the time no one used (idle + iowait).
 */
export interface MachineCpu {
  readonly busyMicros: number;
  readonly stealMicros: number;
  readonly interruptMicros: number;
  readonly idleMicros: number;
}

export function machineCpu(): MachineCpu {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [, user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
  // Multiplied before divided: whole ticks stay whole microseconds (a quotient first came out 68268179999.99999).
  const micros = (...ticks: (number | undefined)[]): number => (ticks.reduce<number>((a, t) => a + (t ?? 0), 0) * 1_000_000) / ticksPerSecond();
  return { busyMicros: micros(user, nice, system, irq, softirq, steal), stealMicros: micros(steal), interruptMicros: micros(irq, softirq), idleMicros: micros(idle, iowait) };
}

/** machineCpu, or undefined where there is no /proc/stat (not Linux). */
export function tryMachineCpu(): MachineCpu | undefined {
  try {
    return machineCpu();
  } catch {
    return undefined;
  }
}

/**
 * How the machine's CPU time (every core over the wall time) went between
 * two samples, as shares of it. On a shared VM the steal share is the
 * hypervisor's: a phase that ran with 40 % of the cores stolen measured a
 * smaller machine, and its figures say so beside them.
 */
export interface MachineShares {
  /** Busy: processes, interrupts and steal. */
  readonly busy: number;
  /** The part of busy the hypervisor took (steal). */
  readonly steal: number;
  /** Nobody's: idle and iowait (busy + idle = 1). */
  readonly idle: number;
}

export function machineShares(before: MachineCpu, after: MachineCpu): MachineShares | undefined {
  const busy = after.busyMicros - before.busyMicros;
  const idle = after.idleMicros - before.idleMicros;
  const total = busy + idle;
  if (!(total > 0)) return undefined;
  return { busy: busy / total, steal: (after.stealMicros - before.stealMicros) / total, idle: idle / total };
}

/** One process's CPU so far, as a machine-wide snapshot holds it. */
export interface ProcessCpu {
  /** Its name as /proc/PID/stat gives it (busiestBetween names the busiest by command line). */
  readonly name: string;
  readonly micros: number;
}

/**
 * Every process's CPU time so far (user + system, µs), from
 * /proc/[pid]/stat. A process that exits while it is read is left out.
 */
export function allProcessesCpu(): Map<number, ProcessCpu> {
  const out = new Map<number, ProcessCpu>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const micros = ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond()) * 1_000_000;
      out.set(pid, { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), micros });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/**
 * The `count` processes that used the most CPU between two snapshots,
 * leaving out `exclude` (the processes already counted on their own);
 * a process born meanwhile counts all its CPU. Named by command line.
 */
export function busiestBetween(before: ReadonlyMap<number, ProcessCpu>, after: ReadonlyMap<number, ProcessCpu>, exclude: ReadonlySet<number>, count: number): { pid: number; name: string; micros: number }[] {
  const used = [...after]
    .filter(([pid]) => !exclude.has(pid))
    .map(([pid, p]) => ({ pid, name: p.name, micros: p.micros - (before.get(pid)?.micros ?? 0) }))
    .filter((p) => p.micros > 0)
    .sort((a, b) => b.micros - a.micros)
    .slice(0, count);
  return used.map((p) => ({ ...p, name: commandLine(p.pid) ?? p.name }));
}

function commandLine(pid: number): string | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return line === '' ? undefined : line.slice(0, 80);
  } catch {
    return undefined;
  }
}
