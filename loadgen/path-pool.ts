import type { SeededRandom } from './seeded-random';

/**
 * The paths a mixed workload picks from. Renames and deletes take a path
 * out while they run, so two workers never rename or delete the same file;
 * readers may still race a rename, as real clients do, and count the error.
 */
export class PathPool {
  readonly #paths: string[];

  constructor(paths: readonly string[]) {
    this.#paths = [...paths];
  }

  get size(): number {
    return this.#paths.length;
  }

  pick(rng: SeededRandom): string | undefined {
    return this.#paths.length === 0 ? undefined : rng.pick(this.#paths);
  }

  /** Removes and returns a random path (swap-remove: O(1)). */
  take(rng: SeededRandom): string | undefined {
    if (this.#paths.length === 0) return undefined;
    const i = rng.int(this.#paths.length);
    const last = this.#paths.pop() as string;
    if (i === this.#paths.length) return last;
    const taken = this.#paths[i] as string;
    this.#paths[i] = last;
    return taken;
  }

  add(path: string): void {
    this.#paths.push(path);
  }
}
