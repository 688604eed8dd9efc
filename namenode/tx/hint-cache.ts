import type { MetadataCache, MetadataCacheStats } from './metadata-cache';

/** What an entry costs besides its key's characters: the Map slot, the number, the string header. */
const ENTRY_OVERHEAD_BYTES = 64;
/** UTF-16: two bytes a character. */
const bytesOf = (path: string): number => ENTRY_OVERHEAD_BYTES + 2 * path.length;

export const DEFAULT_HINT_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * Path → inode id hints. Never trusted: every hint is checked against the
 * rows the database returns (a row's id must equal the hint), so an entry
 * made stale by another namenode costs one fallback, never a wrong answer.
 * Bounded LRU (a Map keeps insertion order; a hit re-inserts), bounded in
 * bytes rather than entries: keys are whole paths, up to 8,000 characters,
 * and a deep `mkdirs -p` remembers every prefix.
 */
export class HintCache implements MetadataCache {
  readonly #entries = new Map<string, number>();
  readonly #maxBytes: number;
  #bytes = 0;
  hits = 0;
  misses = 0;

  constructor(maxBytes = DEFAULT_HINT_CACHE_BYTES) {
    this.#maxBytes = maxBytes;
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

  /** The entry, without counting a hit or a miss or refreshing its place. */
  peek(path: string): number | undefined {
    return this.#entries.get(path);
  }

  set(path: string, id: number): void {
    const cost = bytesOf(path);
    if (cost > this.#maxBytes) return;
    this.#delete(path);
    this.#entries.set(path, id);
    this.#bytes += cost;
    for (const oldest of this.#entries.keys()) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#delete(oldest);
    }
  }

  #delete(path: string): void {
    if (this.#entries.delete(path)) this.#bytes -= bytesOf(path);
  }

  getBatch(paths: readonly string[]): Promise<readonly (number | undefined)[]> {
    return Promise.resolve(paths.map((p) => this.get(p)));
  }

  invalidate(paths: readonly string[]): void {
    for (const p of paths) this.#delete(p);
  }

  get stats(): MetadataCacheStats {
    return { entries: this.#entries.size, hits: this.hits, misses: this.misses };
  }

  /** The bytes the entries are counted as, never above the budget. */
  get bytes(): number {
    return this.#bytes;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }
}
