import { sweepClock } from './clock-sweep';
import type { MetadataCache, MetadataCacheStats } from './metadata-cache';

/** What an entry costs besides its key's characters: the Map slot, the number, the string header. */
const ENTRY_OVERHEAD_BYTES = 64;
/** UTF-16: two bytes a character. */
const bytesOf = (path: string): number => ENTRY_OVERHEAD_BYTES + 2 * path.length;

export const DEFAULT_HINT_CACHE_BYTES = 64 * 1024 * 1024;

/** A hint and whether it was used since the eviction sweep last passed it. */
interface Hint {
  id: number;
  used: boolean;
}

/**
 * Path → inode id hints. Never trusted: every hint is checked against the
 * rows the database returns (a row's id must equal the hint), so an entry
 * made stale by another namenode costs one fallback, never a wrong answer.
 * Bounded in bytes rather than entries: keys are whole paths, up to 8,000
 * characters, and a deep `mkdirs -p` remembers every prefix. Eviction is
 * CLOCK (second chance) over the Map's insertion order: a hit only marks
 * its entry used, so lookups never delete and re-insert Map entries (which
 * every hit and every re-validation did under strict LRU); the sweep gives
 * a used entry one more round and evicts the first unused one.
 */
export class HintCache implements MetadataCache {
  readonly #entries = new Map<string, Hint>();
  readonly #maxBytes: number;
  #bytes = 0;
  hits = 0;
  misses = 0;

  constructor(maxBytes = DEFAULT_HINT_CACHE_BYTES) {
    this.#maxBytes = maxBytes;
  }

  get(path: string): number | undefined {
    const hint = this.#entries.get(path);
    if (hint === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    hint.used = true;
    return hint.id;
  }

  /** The entry, without counting a hit or a miss or refreshing its place. */
  peek(path: string): number | undefined {
    return this.#entries.get(path)?.id;
  }

  set(path: string, id: number): void {
    const known = this.#entries.get(path);
    if (known !== undefined) {
      known.id = id;
      known.used = true;
      return;
    }
    const cost = bytesOf(path);
    if (cost > this.#maxBytes) return;
    this.#entries.set(path, { id, used: false });
    this.#bytes += cost;
    if (this.#bytes > this.#maxBytes) this.#evict();
  }

  /** Sweeps from the oldest: used entries go to the back unused, the first unused ones go, until the budget holds. */
  #evict(): void {
    sweepClock(this.#entries, () => this.#bytes > this.#maxBytes, (path) => this.#delete(path));
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
