/** One method's calls of one outcome: counts per bucket (not cumulative), their sum and count. */
interface Series {
  readonly method: string;
  readonly outcome: string;
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

/** A sample as prom-client's registry prints it (its histogram's own shape). */
interface Sample {
  readonly labels: Record<string, string | number>;
  readonly sharedLabels: Record<string, string>;
  readonly value: number;
  readonly metricName: string;
  /** null on buckets, as prom-client's (exemplars are off). */
  readonly exemplar?: null;
}

interface Exported<S> {
  name: string;
  help: string;
  type: string;
  values: S[];
  aggregator: string;
}

/**
 * The call-latency histogram (`<name>_bucket{le,method,outcome}`, `_sum`,
 * `_count`), printed by a prom-client registry exactly as its Histogram
 * prints, but recorded without it: prom-client's observe validates the
 * label set and hashes it into a string on every call, which the fileStatus
 * profile showed at 3-4 % of the namenode's busy time (one observe per
 * call). Here a call costs a Map lookup by method (the handler's own
 * constant string) and a bucket scan.
 */
export class CallHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  readonly #bounds: readonly number[];
  readonly #series = new Map<string, { ok?: Series; error?: Series }>();
  /** Every series in the order it was first observed (prom-client's order). */
  readonly #order: Series[] = [];

  constructor(name: string, help: string, bounds: readonly number[]) {
    this.name = name;
    this.help = help;
    this.#bounds = bounds;
  }

  observe(method: string, outcome: 'ok' | 'error', seconds: number): void {
    if (!Number.isFinite(seconds)) return;
    let byOutcome = this.#series.get(method);
    if (byOutcome === undefined) this.#series.set(method, (byOutcome = {}));
    let s = byOutcome[outcome];
    if (s === undefined) {
      s = byOutcome[outcome] = { method, outcome, buckets: new Float64Array(this.#bounds.length), sum: 0, count: 0 };
      this.#order.push(s);
    }
    const bounds = this.#bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= (bounds[i] as number)) {
        (s.buckets[i] as number)++;
        break;
      }
    }
    s.sum += seconds;
    s.count++;
  }

  /** Every series so far, in the order each was first observed. */
  series(): readonly Readonly<Series>[] {
    return this.#order;
  }

  /** What a prom-client registry prints: its Histogram's `getForPromString()` shape (the method and outcome as shared labels). */
  getForPromString(): Exported<Sample> {
    const values: Sample[] = [];
    for (const s of this.series()) {
      const sharedLabels = { method: s.method, outcome: s.outcome };
      let acc = 0;
      this.#bounds.forEach((le, i) => {
        acc += s.buckets[i] as number;
        values.push({ labels: { le }, sharedLabels, value: acc, metricName: `${this.name}_bucket`, exemplar: null });
      });
      values.push({ labels: { le: '+Inf' }, sharedLabels, value: s.count, metricName: `${this.name}_bucket`, exemplar: null });
      values.push({ labels: {}, sharedLabels, value: s.sum, metricName: `${this.name}_sum` });
      values.push({ labels: {}, sharedLabels, value: s.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** What a registry's JSON (and a cluster's aggregation) reads: its Histogram's `get()`, every label in `labels`. */
  get(): Exported<Omit<Sample, 'sharedLabels'>> {
    const printed = this.getForPromString();
    return { ...printed, values: printed.values.map(({ labels, sharedLabels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } })) };
  }

  reset(): void {
    this.#series.clear();
    this.#order.length = 0;
  }
}
