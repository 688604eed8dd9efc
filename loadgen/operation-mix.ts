import type { SeededRandom } from './seeded-random';

export interface WeightedOp<T extends string> {
  readonly op: T;
  /** Relative weight; the mix normalises, so percentages and probabilities both work. */
  readonly weight: number;
}

/** Draws operations with the configured probabilities (inverse CDF over cumulative weights). */
export class OperationMix<T extends string> {
  readonly #ops: readonly T[];
  readonly #cumulative: readonly number[];
  readonly #total: number;

  constructor(entries: readonly WeightedOp<T>[]) {
    const usable = entries.filter((e) => e.weight > 0);
    if (usable.length === 0) throw new RangeError('an operation mix needs at least one operation with a positive weight');
    for (const e of entries) {
      if (!Number.isFinite(e.weight) || e.weight < 0) throw new RangeError(`weight of ${e.op} must be a non-negative number`);
    }
    let sum = 0;
    this.#ops = usable.map((e) => e.op);
    this.#cumulative = usable.map((e) => (sum += e.weight));
    this.#total = sum;
  }

  /** Each operation's probability, normalised to sum to 1. */
  probabilities(): Map<T, number> {
    const out = new Map<T, number>();
    let previous = 0;
    this.#ops.forEach((op, i) => {
      const c = this.#cumulative[i] as number;
      out.set(op, (c - previous) / this.#total);
      previous = c;
    });
    return out;
  }

  draw(rng: SeededRandom): T {
    const x = rng.next() * this.#total;
    let lo = 0;
    let hi = this.#cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x < (this.#cumulative[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    return this.#ops[lo] as T;
  }
}
