import { collectDefaultMetrics, Gauge, Registry, type Metric } from 'prom-client';
import { CallHistogram } from './call-histogram';

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
  readonly #calls: CallHistogram;

  constructor() {
    this.registry = new Registry();
    // Process CPU and memory per namenode are what bound a fleet's throughput.
    collectDefaultMetrics({ register: this.registry, prefix: 'nnfleet_' });
    this.#calls = new CallHistogram('nnfleet_rpc_duration_seconds', 'Time to answer one client call, by method and outcome', CALL_BUCKETS);
    // The registry prints any metric of this shape (registry.js reads name, help, type and getForPromString/get).
    this.registry.registerMetric(this.#calls as unknown as Metric);
  }

  observeCall(method: string, outcome: 'ok' | 'error', seconds: number): void {
    this.#calls.observe(method, outcome, seconds);
  }

  /** Every method's calls and summed seconds so far, by outcome: what the web UI turns into rates and mean latencies. */
  async callTotals(): Promise<CallTotal[]> {
    return this.#calls.series().map(({ method, outcome, count, sum }) => ({ method, outcome, count, seconds: sum }));
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
