import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Buckets for metadata operations: most answer in well under a millisecond
 * from cache or a few ms from the database; the tail shows lock waits and
 * retries.
 */
const CALL_BUCKETS = [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** One method's calls of one outcome since the namenode started. */
export interface CallTotal {
  readonly method: string;
  readonly outcome: string;
  readonly count: number;
  readonly seconds: number;
}

/**
 * One namenode's metrics. A registry of its own rather than prom-client's
 * global one, so several namenodes in one process (tests) never share or
 * collide on series.
 */
export class NamenodeMetrics {
  readonly registry: Registry;
  readonly #calls: Histogram<'method' | 'outcome'>;

  constructor() {
    this.registry = new Registry();
    // Process CPU and memory per namenode are what bound a fleet's throughput.
    collectDefaultMetrics({ register: this.registry, prefix: 'nnfleet_' });
    this.#calls = new Histogram({
      name: 'nnfleet_rpc_duration_seconds',
      help: 'Time to answer one client call, by method and outcome',
      labelNames: ['method', 'outcome'],
      buckets: CALL_BUCKETS,
      registers: [this.registry],
    });
  }

  observeCall(method: string, outcome: 'ok' | 'error', seconds: number): void {
    this.#calls.observe({ method, outcome }, seconds);
  }

  /** Every method's calls and summed seconds so far, by outcome: what the web UI turns into rates and mean latencies. */
  async callTotals(): Promise<CallTotal[]> {
    const byKey = new Map<string, { method: string; outcome: string; count: number; seconds: number }>();
    for (const v of (await this.#calls.get()).values) {
      const kind = v.metricName?.endsWith('_count') ? 'count' : v.metricName?.endsWith('_sum') ? 'seconds' : undefined;
      if (!kind) continue;
      const method = String(v.labels.method ?? '');
      const outcome = String(v.labels.outcome ?? '');
      const key = `${method}\u0000${outcome}`;
      const total = byKey.get(key) ?? { method, outcome, count: 0, seconds: 0 };
      total[kind] = v.value;
      byKey.set(key, total);
    }
    return [...byKey.values()];
  }

  /** A gauge read at scrape time, for values that already live elsewhere (cache sizes, pool use). */
  addGauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }
}
