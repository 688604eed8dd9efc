import { FlightQueue } from './flight-queue';

interface Pending<K, V> {
  readonly request: K;
  readonly key: string;
  resolve(value: V): void;
  reject(e: unknown): void;
}

/**
 * Cross-request coalescing of unlocked reads keyed by something other than
 * an inode key (LookupBatcher's case): requests made in the same tick by
 * any number of calls join one queue (FlightQueue), flushed as batches of
 * at most `maxPerBatch` distinct keys, at most `maxInFlight` at a time;
 * `fetch` answers a whole batch with one round trip, and each caller gets
 * the answer for its own key. A failed fetch fails exactly its batch's
 * callers (each retries on its own).
 */
export class TickBatcher<K, V> {
  readonly #keyOf: (request: K) => string;
  readonly #queue: FlightQueue<Pending<K, V>, ReadonlyMap<string, V>>;

  constructor(
    fetch: (requests: readonly K[]) => Promise<ReadonlyMap<string, V>>,
    keyOf: (request: K) => string,
    maxPerBatch = 200,
    maxInFlight = Infinity,
  ) {
    this.#keyOf = keyOf;
    this.#queue = new FlightQueue<Pending<K, V>, ReadonlyMap<string, V>>(
      (batch) => fetch(distinctRequests(batch)),
      settle,
      (queue) => distinctKeysUpTo(queue, maxPerBatch),
      maxInFlight,
    );
  }

  get(request: K): Promise<V> {
    return new Promise((resolve, reject) => this.#queue.push({ request, key: this.#keyOf(request), resolve, reject }));
  }
}

/** The batch's requests, one per key. */
function distinctRequests<K, V>(batch: readonly Pending<K, V>[]): K[] {
  const byKey = new Map<string, K>();
  for (const p of batch) if (!byKey.has(p.key)) byKey.set(p.key, p.request);
  return [...byKey.values()];
}

function settle<K, V>(batch: readonly Pending<K, V>[], answers: ReadonlyMap<string, V>): void {
  for (const p of batch) {
    const answer = answers.get(p.key);
    if (answer === undefined) p.reject(new Error(`batched read: no answer for ${p.key}`));
    else p.resolve(answer);
  }
}

/** How many of the queue's first requests carry at most `max` distinct keys. */
function distinctKeysUpTo<K, V>(queue: readonly Pending<K, V>[], max: number): number {
  const keys = new Set<string>();
  let n = 0;
  for (const p of queue) {
    if (!keys.has(p.key)) {
      if (keys.size >= max) break;
      keys.add(p.key);
    }
    n++;
  }
  return n;
}
