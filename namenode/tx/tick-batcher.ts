interface Pending<K, V> {
  readonly request: K;
  resolve(value: V): void;
  reject(e: unknown): void;
}

/**
 * Cross-request coalescing of unlocked reads keyed by something other than
 * an inode key (LookupBatcher's case): requests made in the same tick by
 * any number of calls join one queue, flushed with setImmediate as batches
 * of at most `maxPerBatch` distinct keys; `fetch` answers a whole batch
 * with one round trip, and each caller gets the answer for its own key. A
 * failed fetch fails exactly its batch's callers (each retries on its own).
 */
export class TickBatcher<K, V> {
  readonly #fetch: (requests: readonly K[]) => Promise<ReadonlyMap<string, V>>;
  readonly #keyOf: (request: K) => string;
  readonly #maxPerBatch: number;
  #queue: Pending<K, V>[] = [];
  #scheduled = false;
  /** Round trips sent, and requests answered: their ratio is the coalescing. */
  batches = 0;
  requests = 0;

  constructor(fetch: (requests: readonly K[]) => Promise<ReadonlyMap<string, V>>, keyOf: (request: K) => string, maxPerBatch = 200) {
    this.#fetch = fetch;
    this.#keyOf = keyOf;
    this.#maxPerBatch = maxPerBatch;
  }

  get(request: K): Promise<V> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const pending = this.#queue;
    this.#queue = [];
    let batch = new Map<string, Pending<K, V>[]>();
    for (const p of pending) {
      const key = this.#keyOf(p.request);
      const same = batch.get(key);
      if (same) {
        same.push(p);
        continue;
      }
      if (batch.size >= this.#maxPerBatch) {
        void this.#send(batch);
        batch = new Map();
      }
      batch.set(key, [p]);
    }
    if (batch.size > 0) void this.#send(batch);
  }

  async #send(batch: ReadonlyMap<string, Pending<K, V>[]>): Promise<void> {
    this.batches++;
    const waiters = [...batch.values()];
    this.requests += waiters.reduce((n, w) => n + w.length, 0);
    try {
      const answers = await this.#fetch(waiters.map((w) => (w[0] as Pending<K, V>).request));
      for (const [key, ws] of batch) {
        const answer = answers.get(key);
        for (const w of ws) {
          if (answer === undefined) w.reject(new Error(`batched read: no answer for ${key}`));
          else w.resolve(answer);
        }
      }
    } catch (e) {
      for (const ws of waiters) for (const w of ws) w.reject(e);
    }
  }
}
