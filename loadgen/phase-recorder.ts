import { LatencyHistogram, round3 } from './latency-histogram';
import type { OpResult, PhaseResult } from './loadgen-result';
import { machineShares, tryMachineCpu, type MachineCpu } from './process-cpu';

interface OpStats {
  readonly histogram: LatencyHistogram;
  readonly buckets: number[];
  errors: number;
  readonly errorsByClass: Map<string, number>;
}

export interface PhaseSnapshot {
  readonly elapsedMs: number;
  readonly ops: number;
  readonly errors: number;
}

/** Collects one phase's outcomes: latency histograms, per-interval counts and errors by class. */
export class PhaseRecorder {
  readonly #stats = new Map<string, OpStats>();
  readonly #all = new LatencyHistogram();
  readonly #startedAt = performance.now();
  /** The machine's CPU counters at the start and at the end (/proc/stat), for the phase's busy, steal and idle shares. */
  readonly #machineAtStart = tryMachineCpu();
  #machineAtEnd: MachineCpu | undefined;
  #endedAt: number | undefined;
  #ops = 0;
  #errors = 0;

  constructor(
    readonly name: string,
    readonly threads: number,
    readonly intervalMs = 1000,
  ) {}

  /** `startedAt` is a performance.now() reading taken just before the operation was sent. */
  recordSuccess(op: string, startedAt: number): void {
    const now = performance.now();
    const s = this.#statsOf(op);
    s.histogram.recordMicros((now - startedAt) * 1000);
    this.#all.recordMicros((now - startedAt) * 1000);
    const bucket = Math.floor((now - this.#startedAt) / this.intervalMs);
    while (s.buckets.length <= bucket) s.buckets.push(0);
    s.buckets[bucket] = (s.buckets[bucket] as number) + 1;
    this.#ops++;
  }

  recordError(op: string, errorClass: string): void {
    const s = this.#statsOf(op);
    s.errors++;
    s.errorsByClass.set(errorClass, (s.errorsByClass.get(errorClass) ?? 0) + 1);
    this.#errors++;
  }

  snapshot(): PhaseSnapshot {
    return { elapsedMs: (this.#endedAt ?? performance.now()) - this.#startedAt, ops: this.#ops, errors: this.#errors };
  }

  /** Stops the clock; later calls keep the first end time. */
  finish(rpcCalls: Readonly<Record<string, number>>): PhaseResult {
    if (this.#endedAt === undefined) {
      this.#endedAt = performance.now();
      this.#machineAtEnd = tryMachineCpu();
    }
    const machine = this.#machineAtStart && this.#machineAtEnd ? machineShares(this.#machineAtStart, this.#machineAtEnd) : undefined;
    const durationMs = this.#endedAt - this.#startedAt;
    const seconds = Math.max(durationMs, 1) / 1000;
    const longest = Math.max(0, ...[...this.#stats.values()].map((s) => s.buckets.length));
    const nBuckets = Math.max(1, Math.ceil(durationMs / this.intervalMs), longest);
    const ops: OpResult[] = [];
    const series: Record<string, number[]> = {};
    for (const [op, s] of [...this.#stats].sort(([a], [b]) => a.localeCompare(b))) {
      const count = s.histogram.count;
      ops.push({
        op,
        count,
        opsPerSec: round3(count / seconds),
        errors: s.errors,
        errorsByClass: Object.fromEntries(s.errorsByClass),
        latency: s.histogram.summary(),
      });
      series[op] = Array.from({ length: nBuckets }, (_, i) => s.buckets[i] ?? 0);
    }
    return {
      name: this.name,
      threads: this.threads,
      durationMs: round3(durationMs),
      ops,
      totalOps: this.#ops,
      totalErrors: this.#errors,
      opsPerSec: round3(this.#ops / seconds),
      latency: this.#all.summary(),
      timeline: { intervalMs: this.intervalMs, series },
      rpcCalls,
      ...(machine ? { machine } : {}),
    };
  }

  #statsOf(op: string): OpStats {
    let s = this.#stats.get(op);
    if (!s) {
      s = { histogram: new LatencyHistogram(), buckets: [], errors: 0, errorsByClass: new Map() };
      this.#stats.set(op, s);
    }
    return s;
  }
}
