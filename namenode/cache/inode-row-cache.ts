import { idToken, keyOf, keyToken, type InodeRow } from '../dal/inode-row';

/** What an entry costs besides its strings: the row object, its numbers, two Map slots. */
const ROW_OVERHEAD_BYTES = 320;
/** Invalidation records kept before they are dropped (reads begun before that then install nothing). */
const MAX_INVALIDATION_RECORDS = 100_000;

const textBytes = (s: string | null | undefined): number => 2 * (s?.length ?? 0);
/** An estimate of what a row takes in memory (UTF-16 strings, 48 bytes an ACL entry). */
export const rowBytes = (r: InodeRow): number =>
  ROW_OVERHEAD_BYTES + 2 * textBytes(r.name) + textBytes(r.owner) + textBytes(r.group) + textBytes(r.symlink) + textBytes(r.ucClient) + textBytes(r.ucMachine) + 48 * (r.acl?.length ?? 0);

/**
 * Inode rows by key (`keyOf`), indexed by id, bounded in bytes (LRU: a Map
 * keeps insertion order, a hit re-inserts), with the invalidation epochs
 * that decide whether a row read from the database may be installed: an
 * invalidation advances `epoch` and records it against each token; a read
 * that began at epoch `e0` may install a row only if neither its key nor
 * its id was invalidated after `e0`, and no lapse (`clear`) happened since.
 */
export class InodeRowCache {
  readonly #byKey = new Map<string, InodeRow>();
  readonly #keyById = new Map<number, string>();
  readonly #invalidatedAt = new Map<string, number>();
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
    return this.#byKey.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get(key: string): InodeRow | undefined {
    const row = this.#byKey.get(key);
    if (row) {
      this.#byKey.delete(key);
      this.#byKey.set(key, row);
    }
    return row;
  }

  /** True when a read begun at `e0` may keep this row. */
  mayInstall(row: InodeRow, e0: number): boolean {
    return e0 >= this.#floor && !this.invalidatedSince(row, e0);
  }

  /** True when the row's key or id was invalidated after epoch `e0`. */
  invalidatedSince(row: InodeRow, e0: number): boolean {
    return (this.#invalidatedAt.get(keyToken(row)) ?? -1) > e0 || (this.#invalidatedAt.get(idToken(row.id)) ?? -1) > e0;
  }

  install(row: InodeRow): void {
    const cost = rowBytes(row);
    if (cost > this.#maxBytes) return;
    const key = keyOf(row);
    this.#dropKey(key);
    const stale = this.#keyById.get(row.id);
    if (stale !== undefined) this.#dropKey(stale);
    this.#byKey.set(key, row);
    this.#keyById.set(row.id, key);
    this.#bytes += cost;
    for (const oldest of this.#byKey.keys()) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#dropKey(oldest);
    }
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
      const key = t.startsWith('i') ? this.#keyById.get(Number(t.slice(1))) : t.slice(1);
      if (key !== undefined && this.#dropKey(key)) dropped++;
    }
    return dropped;
  }

  /** A lapse: everything goes, and reads begun before install nothing. */
  clear(): void {
    this.#byKey.clear();
    this.#keyById.clear();
    this.#invalidatedAt.clear();
    this.#bytes = 0;
    this.#floor = ++this.#epoch;
  }

  #dropKey(key: string): boolean {
    const row = this.#byKey.get(key);
    if (!row) return false;
    this.#byKey.delete(key);
    if (this.#keyById.get(row.id) === key) this.#keyById.delete(row.id);
    this.#bytes -= rowBytes(row);
    return true;
  }
}
