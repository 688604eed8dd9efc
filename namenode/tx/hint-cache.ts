import type { MetadataCache, MetadataCacheStats } from './metadata-cache';

/**
 * Path → inode id hints. Never trusted: every hint is checked against the
 * rows the database returns (a row's id must equal the hint), so an entry
 * made stale by another namenode costs one fallback, never a wrong answer.
 * Bounded LRU (a Map keeps insertion order; a hit re-inserts).
 */
export class HintCache implements MetadataCache {
  readonly #entries = new Map<string, number>();
  readonly #capacity: number;
  hits = 0;
  misses = 0;

  constructor(capacity = 200_000) {
    this.#capacity = capacity;
  }

  get(path: string): number | undefined {
    const id = this.#entries.get(path);
    if (id === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.#entries.delete(path);
    this.#entries.set(path, id);
    return id;
  }

  set(path: string, id: number): void {
    this.#entries.delete(path);
    this.#entries.set(path, id);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  getBatch(paths: readonly string[]): Promise<readonly (number | undefined)[]> {
    return Promise.resolve(paths.map((p) => this.get(p)));
  }

  invalidate(paths: readonly string[]): void {
    for (const p of paths) this.#entries.delete(p);
  }

  get stats(): MetadataCacheStats {
    return { entries: this.#entries.size, hits: this.hits, misses: this.misses };
  }

  clear(): void {
    this.#entries.clear();
  }
}
