import { FlightQueue, takeUpTo } from './flight-queue';

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
 * the next one (FlightQueue), so the busier the database, the bigger the
 * batches. `flush` answers a batch in request order, each request settled
 * on its own; a failed flush fails exactly its batch's requests.
 */
export class FlightBatcher<R, A> {
  readonly #queue: FlightQueue<Waiting<R, A>, readonly Settled<A>[]>;

  constructor(flush: (batch: readonly R[]) => Promise<readonly Settled<A>[]>, maxBatch: number, maxInFlight: number) {
    this.#queue = new FlightQueue<Waiting<R, A>, readonly Settled<A>[]>(
      (batch) => flush(batch.map((w) => w.request)),
      settle,
      takeUpTo(maxBatch, () => 1),
      maxInFlight,
    );
  }

  /** Batches sent, and requests they carried: their ratio is the coalescing. */
  get batches(): number {
    return this.#queue.batches;
  }

  get requests(): number {
    return this.#queue.requests;
  }

  submit(request: R): Promise<A> {
    return new Promise((resolve, reject) => this.#queue.push({ request, resolve, reject }));
  }
}

function settle<R, A>(batch: readonly Waiting<R, A>[], answers: readonly Settled<A>[]): void {
  batch.forEach((w, i) => {
    const a = answers[i];
    if (!a) w.reject(new Error('batched request: no answer'));
    else if (a.ok) w.resolve(a.value);
    else w.reject(a.error);
  });
}
