import { LingerWait, type BatchLinger } from './batch-linger';
import type { CallCount } from './call-count';

/** What a FlightQueue holds: anything that can be failed when its batch's flight fails. */
export interface Failable {
  reject(e: unknown): void;
}

/** A queue is split over free flights only while each part holds fewer full batches than this (FlightQueue's share). */
export const SPLIT_BELOW_FULL_BATCHES = 2;

/**
 * The queue and flights every batcher here shares (LookupBatcher,
 * TickBatcher, FlightBatcher): requests arriving in one turn of the event
 * loop go together; the first schedules a flush with setImmediate; a flush
 * sends batches, each as much of the queue's front as `take` allows, while
 * fewer than `maxInFlight` are at the database, and the rest wait and join
 * the next one when a flight lands, so the busier the database, the bigger
 * the batches. `send` makes a batch's round trip and `settle` hands each
 * request its answer once the flight has landed (its slot already free); a
 * failed `send` fails every request of its batch with that error.
 * With a `linger`, a short batch may first wait for company (batch-linger.ts),
 * and up to `maxFullInFlight` flights may be out when the ones past
 * `maxInFlight` each carry a full batch (the linger's `minBatch`). With
 * `calls` (the client calls the namenode serves), a short batch waits only
 * while fewer calls are in it or in a flight here than the namenode lately
 * served at once: with 4 clients whose 4 lookups are all queued no fifth
 * can come, and a wait would only delay them (fileStatus at 4 threads:
 * 2,304 → 1,186 calls/s with waits of 4 counted as paid).
 */
export class FlightQueue<W extends Failable, T> {
  readonly #send: (batch: readonly W[]) => Promise<T>;
  readonly #settle: (batch: readonly W[], answer: T) => void;
  readonly #take: (queue: readonly W[]) => number;
  readonly #maxInFlight: number;
  readonly #maxFullInFlight: number;
  #queue: W[] = [];
  readonly #linger: BatchLinger | undefined;
  /** A short batch's wait for company. */
  readonly #wait: LingerWait | undefined;
  #scheduled = false;
  #inFlight = 0;
  /** Requests in the flights out now. */
  #flying = 0;
  readonly #calls: CallCount | undefined;
  /** Batches sent, and requests they carried: their ratio is the coalescing. */
  batches = 0;
  requests = 0;

  /** `take`: how many of the queue's first requests the next batch carries (at least one goes). */
  constructor(
    send: (batch: readonly W[]) => Promise<T>,
    settle: (batch: readonly W[], answer: T) => void,
    take: (queue: readonly W[]) => number,
    maxInFlight: number,
    linger?: BatchLinger,
    maxFullInFlight = maxInFlight,
    calls?: CallCount,
  ) {
    this.#send = send;
    this.#settle = settle;
    this.#take = take;
    this.#maxInFlight = maxInFlight;
    this.#maxFullInFlight = linger ? Math.max(maxInFlight, maxFullInFlight) : maxInFlight;
    this.#linger = linger;
    this.#wait = linger && new LingerWait(linger, () => this.#queue.length, () => this.#due(true));
    this.#calls = calls;
    // A waiting batch goes once it and the flights out hold as many calls as the namenode lately served at once.
    if (calls && this.#wait) calls.onEnd(() => this.#cutShortIfAlone());
  }

  push(request: W): void {
    this.#queue.push(request);
    if (this.#wait?.active) {
      if (!this.#wait.offer()) this.#cutShortIfAlone();
    } else this.#schedule();
  }

  /**
   * Whether another call may still join a waiting batch: fewer calls are
   * queued or flying here than the namenode has lately served at once
   * (without a count, assumed). Not the calls in progress now: behind a
   * load balancer most of a client's round trip is outside the namenode,
   * so a batch holds every call in progress while more are on their way.
   */
  #othersServed(): boolean {
    return this.#calls === undefined || this.#calls.recentPeak > this.#queue.length + this.#flying;
  }

  #cutShortIfAlone(): void {
    if (this.#wait?.active && !this.#othersServed()) this.#wait.cutShort();
  }

  /** A flush on the next turn of the event loop, if a flight is free; else when one lands. */
  #schedule(): void {
    if (this.#scheduled || this.#queue.length === 0 || !this.#mayFly()) return;
    this.#scheduled = true;
    setImmediate(() => this.#due(false));
  }

  /** The scheduled flush: a short batch may wait for company first, once. */
  #due(waited: boolean): void {
    if (!waited && this.#wait && this.#linger?.shouldWait(this.#queue.length) && this.#othersServed()) {
      this.#wait.begin();
      return;
    }
    this.#scheduled = false;
    this.#flush();
  }

  #flush(): void {
    while (this.#queue.length > 0 && this.#mayFly()) {
      const batch = this.#queue.splice(0, Math.max(1, Math.min(this.#take(this.#queue), this.#share())));
      this.#inFlight++;
      this.#flying += batch.length;
      this.batches++;
      this.requests += batch.length;
      void this.#fly(batch);
    }
  }

  /**
   * How many requests the next batch may carry so that a queue of a few
   * full batches goes out in as many flights as are free for full batches,
   * evenly: the database answers them on as many threads at once. Without
   * it, calls that arrive together (threads sharing one client connection,
   * woken by one read) went as one batch, and the namenode, the database
   * and the clients took turns on the two cores (~40 % of them idle).
   * Only while each part stays short (under SPLIT_BELOW_FULL_BATCHES full
   * batches): a long queue means callers enough to keep one flight busy,
   * and halving its batch doubled the statements per lookup (fileStatus,
   * 128 threads on one connection: 0.033 split, 0.016 whole, and ~10 %
   * more calls a second whole; with 32 threads splitting still won ~14 %;
   * a bound of 3 full batches a part still split at 128 threads:
   * bench/README.md, stop 58).
   */
  #share(): number {
    if (this.#linger === undefined || this.#maxFullInFlight <= this.#maxInFlight) return Infinity;
    const parts = Math.min(this.#maxFullInFlight - this.#inFlight, this.#linger.fullBatches(this.#queue.length));
    if (parts < 2) return Infinity;
    const each = Math.ceil(this.#queue.length / parts);
    return this.#linger.fullBatches(each) < SPLIT_BELOW_FULL_BATCHES ? each : Infinity;
  }

  /** Whether a batch may go now: a flight is free, or one past maxInFlight is and the queue holds a full batch. */
  #mayFly(): boolean {
    if (this.#inFlight < this.#maxInFlight) return true;
    return this.#inFlight < this.#maxFullInFlight && (this.#linger as BatchLinger).isFull(this.#queue.length);
  }

  async #fly(batch: readonly W[]): Promise<void> {
    let answer: T;
    try {
      answer = await this.#send(batch);
    } catch (e) {
      this.#landed(batch.length);
      for (const w of batch) w.reject(e);
      return;
    }
    this.#landed(batch.length);
    try {
      this.#settle(batch, answer);
    } catch (e) {
      for (const w of batch) w.reject(e);
    }
  }

  /** A flight is back: its slot is free for what queued meanwhile (and for what its answers bring). */
  #landed(requests: number): void {
    this.#inFlight--;
    this.#flying -= requests;
    this.#schedule();
  }
}

/** A `take` for FlightQueue: the first requests whose sizes sum to at most `max` (the first one whatever its size). */
export function takeUpTo<W>(max: number, sizeOf: (w: W) => number): (queue: readonly W[]) => number {
  return (queue) => {
    let total = 0;
    let n = 0;
    for (const w of queue) {
      total += sizeOf(w);
      if (n > 0 && total > max) break;
      n++;
    }
    return n;
  };
}
