import { sweepClock } from '../tx/clock-sweep';

/** Invalidation records kept before they are dropped (reads begun before that then install nothing). */
const MAX_INVALIDATION_RECORDS = 100_000;

interface Entry {
  readonly value: unknown;
  readonly bytes: number;
  readonly tokens: readonly string[];
  /** Hit since the eviction sweep last passed it (CLOCK: a hit only sets this). */
  used: boolean;
}

/**
 * The coherent cache's memory (README.md): entries by key, each named by
 * the invalidation tokens of the rows it was built from, bounded in bytes
 * (CLOCK over the Map's insertion order, as the hint cache: a hit only
 * marks its entry used, the sweep gives a used entry one more round and
 * evicts the first unused one; a hit that deleted and re-inserted its Map
 * entry was 7% of the namenode's time in the Spotify mix), with the epochs
 * that decide whether what a read brought from the database may be
 * installed. An invalidation advances `epoch`, records it against each of
 * its tokens and drops every entry named by one; a read that began at
 * epoch `e0` may install only if none of its tokens was invalidated after
 * `e0` and no lapse (`clear`) happened since. Inode rows, file block rows,
 * datanode rows and directory listings share one budget.
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #keysByToken = new Map<string, Set<string>>();
  readonly #invalidatedAt = new Map<string, number>();
  /** Tokens of writes sent to the database and not yet answered (`hold`): nothing they name is installed meanwhile. */
  readonly #held = new Map<string, number>();
  readonly #maxBytes: number;
  #bytes = 0;
  #epoch = 0;
  /** Reads that began before this epoch install nothing (a lapse, or dropped invalidation records). */
  #floor = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get epoch(): number {
    return this.#epoch;
  }

  get entries(): number {
    return this.#entries.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get<V>(key: string): V | undefined {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    e.used = true;
    return e.value as V;
  }

  /**
   * True when any of these tokens was invalidated after epoch `e0`, or may
   * have been: a lapse (or dropped records) after `e0` wiped the records
   * that would tell, so a lookup that served rows from memory before it
   * must not trust them beside rows read after it.
   */
  invalidatedSince(tokens: readonly string[], e0: number): boolean {
    return e0 < this.#floor || tokens.some((t) => (this.#invalidatedAt.get(t) ?? -1) > e0);
  }

  /** True when a read begun at `e0` may keep what it built from rows these tokens name. */
  mayInstall(tokens: readonly string[], e0: number): boolean {
    return !this.invalidatedSince(tokens, e0) && (this.#held.size === 0 || !tokens.some((t) => this.#held.has(t)));
  }

  /** The entries these tokens name whose key passes `which`, each once, as they are now (before a `hold` of the tokens drops them). */
  named(tokens: readonly string[], which: (key: string) => boolean): { key: string; value: unknown }[] {
    const out = new Map<string, unknown>();
    for (const t of tokens) {
      const keys = this.#keysByToken.get(t);
      if (keys) for (const k of keys) if (!out.has(k) && which(k)) out.set(k, this.#entries.get(k)?.value);
    }
    return [...out].map(([key, value]) => ({ key, value }));
  }

  /**
   * True when what these tokens name, read by a write under its own locks
   * before its COMMIT, may be kept once that write is answered: the write
   * held `own` from epoch `heldAt` (its `hold`, which recorded them then),
   * nothing invalidated these tokens after that, no other write in flight
   * here names them, and no lapse came since. Asked before `release`.
   */
  keptByWriter(tokens: readonly string[], heldAt: number, own: ReadonlySet<string>): boolean {
    if (heldAt < this.#floor) return false;
    for (const t of tokens) {
      if ((this.#invalidatedAt.get(t) ?? -1) > heldAt) return false;
      if ((this.#held.get(t) ?? 0) > (own.has(t) ? 1 : 0)) return false;
    }
    return true;
  }

  /**
   * A write whose statements and COMMIT go to the database in one round
   * trip is about to send them: they are invalidated now (entries go, and a
   * lookup that served one from memory before reads again, as the writer's
   * invalidation before COMMIT does otherwise), and nothing they name is
   * installed until `release` (a read may see the old rows until the write
   * lands, as it holds no lock yet); answers how many entries went.
   */
  hold(tokens: readonly string[]): number {
    for (const t of tokens) this.#held.set(t, (this.#held.get(t) ?? 0) + 1);
    return this.invalidate(tokens);
  }

  /** The held write was answered (committed or not): its tokens are invalidated, so reads begun before install nothing; answers how many entries went. */
  release(tokens: readonly string[]): number {
    for (const t of tokens) {
      const n = (this.#held.get(t) ?? 1) - 1;
      if (n > 0) this.#held.set(t, n);
      else this.#held.delete(t);
    }
    return this.invalidate(tokens);
  }

  /** Keeps `value` under `key` (replacing what was there), evicting the least recently used beyond the budget. */
  install(key: string, value: unknown, bytes: number, tokens: readonly string[]): void {
    this.drop(key);
    if (bytes > this.#maxBytes) return;
    this.#entries.set(key, { value, bytes, tokens, used: false });
    for (const t of tokens) {
      const keys = this.#keysByToken.get(t);
      if (keys) keys.add(key);
      else this.#keysByToken.set(t, new Set([key]));
    }
    this.#bytes += bytes;
    if (this.#bytes > this.#maxBytes) this.#evict();
  }

  /** Sweeps from the oldest: used entries go to the back unused, the first unused ones go, until the budget holds. */
  #evict(): void {
    sweepClock(this.#entries, () => this.#bytes > this.#maxBytes, (key) => this.drop(key));
  }

  /** Drops every entry this token names (whose key passes `which`), without recording an invalidation; answers how many went. */
  dropNamed(token: string, which: (key: string) => boolean = () => true): number {
    const keys = this.#keysByToken.get(token);
    if (!keys) return 0;
    let dropped = 0;
    for (const k of [...keys]) if (which(k) && this.drop(k)) dropped++;
    return dropped;
  }

  /** Drops what the tokens name and records them; answers how many entries went. */
  invalidate(tokens: readonly string[]): number {
    const epoch = ++this.#epoch;
    if (this.#invalidatedAt.size + tokens.length > MAX_INVALIDATION_RECORDS) {
      this.#invalidatedAt.clear();
      this.#floor = epoch;
    }
    let dropped = 0;
    for (const t of tokens) {
      this.#invalidatedAt.set(t, epoch);
      dropped += this.dropNamed(t);
    }
    return dropped;
  }

  /** A lapse: everything goes, and reads begun before install nothing. */
  clear(): void {
    this.#entries.clear();
    this.#keysByToken.clear();
    this.#invalidatedAt.clear();
    this.#bytes = 0;
    this.#floor = ++this.#epoch;
  }

  drop(key: string): boolean {
    const e = this.#entries.get(key);
    if (!e) return false;
    this.#entries.delete(key);
    for (const t of e.tokens) {
      const keys = this.#keysByToken.get(t);
      keys?.delete(key);
      if (keys?.size === 0) this.#keysByToken.delete(t);
    }
    this.#bytes -= e.bytes;
    return true;
  }
}
