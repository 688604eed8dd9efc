import { build, type Histogram } from 'hdr-histogram-js';

/** Percentiles kept in results and drawn as each operation's latency curve. */
export const REPORTED_PERCENTILES: readonly number[] = [0, 10, 25, 50, 75, 90, 95, 99, 99.9, 100];

export interface LatencySummary {
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** [percentile, ms] at REPORTED_PERCENTILES. */
  readonly percentiles: readonly (readonly [number, number])[];
}

/**
 * Latencies recorded in microseconds in an HDR histogram (3 significant
 * digits), so percentiles stay exact to 0.1 % at any count without keeping
 * every sample.
 */
export class LatencyHistogram {
  readonly #histogram: Histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });

  recordMicros(micros: number): void {
    this.#histogram.recordValue(Math.max(1, Math.round(micros)));
  }

  get count(): number {
    return this.#histogram.totalCount;
  }

  /** Latency in ms at percentile `p` (0–100). */
  percentileMs(p: number): number {
    return this.#histogram.getValueAtPercentile(p) / 1000;
  }

  summary(): LatencySummary {
    const h = this.#histogram;
    if (h.totalCount === 0) {
      return { meanMs: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0, percentiles: REPORTED_PERCENTILES.map((p) => [p, 0] as const) };
    }
    return {
      meanMs: round3(h.mean / 1000),
      p50Ms: round3(this.percentileMs(50)),
      p90Ms: round3(this.percentileMs(90)),
      p99Ms: round3(this.percentileMs(99)),
      maxMs: round3(h.maxValue / 1000),
      percentiles: REPORTED_PERCENTILES.map((p) => [p, round3(p === 100 ? h.maxValue / 1000 : this.percentileMs(p))] as const),
    };
  }
}

export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
