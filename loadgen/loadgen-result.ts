import type { LatencySummary } from './latency-histogram';
import type { MachineShares } from './process-cpu';

/** One operation type within a phase. `count` is successful operations only. */
export interface OpResult {
  readonly op: string;
  readonly count: number;
  readonly opsPerSec: number;
  readonly errors: number;
  /** Java exception class (or client-side error name) → count. */
  readonly errorsByClass: Readonly<Record<string, number>>;
  readonly latency: LatencySummary;
}

export interface Timeline {
  readonly intervalMs: number;
  /** op → successful operations completed in each interval. */
  readonly series: Readonly<Record<string, readonly number[]>>;
}

/** One measured phase: a load run, or the setup that built its namespace. */
export interface PhaseResult {
  readonly name: string;
  readonly threads: number;
  readonly durationMs: number;
  readonly ops: readonly OpResult[];
  readonly totalOps: number;
  readonly totalErrors: number;
  readonly opsPerSec: number;
  /** All operations of the phase together. */
  readonly latency: LatencySummary;
  readonly timeline: Timeline;
  /** RPC method → calls the load generator sent (answered either way). */
  readonly rpcCalls: Readonly<Record<string, number>>;
  /** Lines printed under the phase's table (e.g. database statements per operation). */
  readonly notes?: readonly string[];
  /** How this machine's CPU went during the phase (/proc/stat; absent elsewhere): busy, the hypervisor's steal, idle. */
  readonly machine?: MachineShares;
}

export interface LoadgenReport {
  readonly tool: 'nnfleet loadgen';
  readonly mode: string;
  readonly startedAt: string;
  readonly namenodes: readonly string[];
  /** How file bytes were handled: states plainly when only the namenode's part ran. */
  readonly dataPath: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly phases: readonly PhaseResult[];
}
