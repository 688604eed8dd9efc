import { readFileSync } from 'node:fs';
import { processCpuTimes } from './process-cpu';

/**
 * Where a process's time went, from /proc: what its main (JavaScript)
 * thread ran and waited, how often it was switched out, and how many
 * syscalls read and wrote. A sampling profiler counts time a thread was
 * runnable but preempted as time in the frame it resumes in (a write that
 * woke the database's thread on a busy 2-core box), so its busy time can
 * exceed what the process ran; these say which.
 */
export interface ProcessSched {
  /** utime + stime of the whole process (µs). */
  readonly cpuMicros: number;
  /** stime of the whole process (µs): syscalls, and softirq work charged to it (loopback delivery). */
  readonly systemMicros: number;
  /** The main thread on a CPU (µs, /proc/PID/schedstat). */
  readonly mainRunMicros: number;
  /** The main thread runnable but waiting for a CPU (µs). */
  readonly mainWaitMicros: number;
  /** The main thread's switches: it blocked (epoll) / it was preempted. */
  readonly voluntarySwitches: number;
  readonly involuntarySwitches: number;
  /** read/readv and write/writev syscalls of the whole process (/proc/PID/io syscr, syscw). */
  readonly readSyscalls: number;
  readonly writeSyscalls: number;
}

const field = (text: string, name: string): number => Number(new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(text)?.[1] ?? NaN);

export function readProcessSched(pid: number): ProcessSched {
  const { userMicros, systemMicros } = processCpuTimes(pid);
  const [runNs, waitNs] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  return {
    cpuMicros: userMicros + systemMicros,
    systemMicros,
    mainRunMicros: (runNs ?? NaN) / 1000,
    mainWaitMicros: (waitNs ?? NaN) / 1000,
    voluntarySwitches: field(status, 'voluntary_ctxt_switches'),
    involuntarySwitches: field(status, 'nonvoluntary_ctxt_switches'),
    readSyscalls: field(io, 'syscr'),
    writeSyscalls: field(io, 'syscw'),
  };
}

/** One line per phase: the deltas per operation. */
export function schedPerOp(before: ProcessSched, after: ProcessSched, ops: number): string {
  const per = (k: keyof ProcessSched, digits = 1): string => (ops > 0 ? ((after[k] - before[k]) / ops).toFixed(digits) : '-');
  return (
    `per op: CPU ${per('cpuMicros')} µs (system ${per('systemMicros')}), main thread ran ${per('mainRunMicros')} µs and waited runnable ${per('mainWaitMicros')} µs, ` +
    `switches ${per('voluntarySwitches', 2)} voluntary / ${per('involuntarySwitches', 2)} preempted, syscalls ${per('readSyscalls', 2)} read / ${per('writeSyscalls', 2)} write`
  );
}
