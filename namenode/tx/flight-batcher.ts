/** One request's answer out of a batch: its own value, or its own failure. */
export type Settled<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: unknown };

interface Waiting<R, A> {
  readonly request: R;
  resolve(a: A): void;
  reject(e: unknown): void;
}

/**
 * Group commit for requests of one kind (heartbeats, incremental block
 * reports): those arriving in one turn of the event loop go together, and
 * while `maxInFlight` batches are at the database the rest wait and join
 * the next one, so the busier the database, the bigger the batches.
 * `flush` answers a batch in request order, each request settled on its
 * own; a failed flush fails exactly its batch's requests.
 */
export class FlightBatcher<R, A> {
  readonly #flush: (batch: readonly R[]) => Promise<readonly Settled<A>[]>;
  readonly #maxBatch: number;
  readonly #maxInFlight: number;
  #queue: Waiting<R, A>[] = [];
  #scheduled = false;
  #inFlight = 0;
  /** Batches sent, and requests they carried: their ratio is the coalescing. */
  batches = 0;
  requests = 0;

  constructor(flush: (batch: readonly R[]) => Promise<readonly Settled<A>[]>, maxBatch: number, maxInFlight: number) {
    this.#flush = flush;
    this.#maxBatch = maxBatch;
    this.#maxInFlight = maxInFlight;
  }

  submit(request: R): Promise<A> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#schedule();
    });
  }

  /** The next batch goes out on the next turn of the event loop, if a slot is free; else when one frees. */
  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#send();
    });
  }

  async #send(): Promise<void> {
    if (this.#inFlight >= this.#maxInFlight || this.#queue.length === 0) return;
    const batch = this.#queue.slice(0, this.#maxBatch);
    this.#queue = this.#queue.slice(batch.length);
    this.#inFlight++;
    this.batches++;
    this.requests += batch.length;
    this.#schedule();
    try {
      const answers = await this.#flush(batch.map((w) => w.request));
      batch.forEach((w, i) => {
        const a = answers[i];
        if (!a) w.reject(new Error('batched request: no answer'));
        else if (a.ok) w.resolve(a.value);
        else w.reject(a.error);
      });
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      this.#inFlight--;
      this.#schedule();
    }
  }
}
