import { processCpuMicros, tryMachineCpu } from '../../loadgen/process-cpu';

/** One named process's CPU per operation (µs, user + system). */
export interface ProcessShare {
  readonly name: string;
  readonly micros: number;
}

/**
 * Where a phase's CPU went, per operation: each named process (user +
 * system from /proc/PID/stat), and everything else the machine did
 * (its busy time from /proc/stat less the hypervisor's steal and the named
 * processes; null without /proc/stat).
 */
export interface CpuPerOp {
  /** In the order they were named. */
  readonly processes: readonly ProcessShare[];
  readonly others: number | null;
}

/** The name the load generator (this process) goes by: cpuServerTotal leaves it out. */
export const LOAD_GENERATOR = 'load generator';

/**
 * Samples the named processes and the machine now; the function returned
 * samples them again and divides what each used meanwhile by `ops`.
 */
export function startCpuSplit(named: readonly { readonly name: string; readonly pid: number }[]): (ops: number) => CpuPerOp {
  const before = named.map((p) => processCpuMicros(p.pid));
  const machineBefore = tryMachineCpu();
  return (ops) => {
    const used = named.map((p, i) => processCpuMicros(p.pid) - (before[i] ?? 0));
    const machineAfter = tryMachineCpu();
    const n = Math.max(1, ops);
    const counted = used.reduce((a, b) => a + b, 0);
    const others =
      machineBefore && machineAfter
        ? Math.max(0, machineAfter.busyMicros - machineBefore.busyMicros - (machineAfter.stealMicros - machineBefore.stealMicros) - counted) / n
        : null;
    return { processes: named.map((p, i) => ({ name: p.name, micros: (used[i] ?? 0) / n })), others };
  };
}

/** The named processes and the others together. */
export function cpuTotal(c: CpuPerOp): number {
  return namedCpuTotal(c) + (c.others ?? 0);
}

/** The named processes alone (the others left out). */
export function namedCpuTotal(c: CpuPerOp): number {
  return c.processes.reduce((a, p) => a + p.micros, 0);
}

/** What serving cost: every named process but the load generator (the others left out: no side's server). */
export function cpuServerTotal(c: CpuPerOp): number {
  return c.processes.filter((p) => p.name !== LOAD_GENERATOR).reduce((a, p) => a + p.micros, 0);
}
