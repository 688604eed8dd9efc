import type { CounterRepository } from '../dal/counter-repository';
import type { DbSession } from '../dal/db-session';

interface Range {
  next: number;
  readonly end: number;
}

/**
 * Hands out ids from a counter row, reserving them `rangeSize` at a time so
 * the row is touched once per range rather than once per id (no hot row).
 * The next range is fetched in the background when a tenth of the current
 * one is left, so callers rarely wait. Reservations commit on their own:
 * ids of a failed operation are skipped, never reused.
 */
export class IdAllocator {
  readonly #db: DbSession;
  readonly #counters: CounterRepository;
  readonly #counter: string;
  readonly #rangeSize: number;
  #current: Range = { next: 0, end: 0 };
  #spare: Range | undefined;
  #refill: Promise<void> | undefined;

  constructor(db: DbSession, counters: CounterRepository, counter: string, rangeSize = 1000) {
    this.#db = db;
    this.#counters = counters;
    this.#counter = counter;
    this.#rangeSize = rangeSize;
  }

  async next(): Promise<number> {
    for (;;) {
      if (this.#current.next < this.#current.end) {
        const id = this.#current.next++;
        if (this.#current.end - this.#current.next < this.#rangeSize / 10 && !this.#spare) this.#startRefill();
        return id;
      }
      if (this.#spare) {
        this.#current = this.#spare;
        this.#spare = undefined;
        continue;
      }
      this.#startRefill();
      await this.#refill;
    }
  }

  #startRefill(): void {
    this.#refill ??= this.#reserve()
      .then((range) => {
        this.#spare = range;
      })
      .finally(() => {
        this.#refill = undefined;
      });
    // A background refill that fails is retried by the next caller that needs it.
    this.#refill.catch(() => undefined);
  }

  async #reserve(): Promise<Range> {
    const top = await this.#db.run(this.#counters.reserveRange(this.#counter, this.#rangeSize));
    return { next: top - this.#rangeSize + 1, end: top + 1 };
  }
}
