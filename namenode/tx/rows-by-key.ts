import type { InodeKey, InodeRow } from '../dal/inode-row';

/**
 * Inode rows by primary key (parent id, then name), without building a key
 * text per row or per lookup: a name's hash is computed once, on its own
 * string. What a lookup batch hands its waiters their rows from, and what a
 * group's lock round trip validates each member's paths against.
 */
export class RowsByKey {
  readonly #byParent = new Map<number, Map<string, InodeRow>>();

  constructor(rows: Iterable<InodeRow> = []) {
    for (const row of rows) this.add(row);
  }

  /** Adds a row; a later row of the same key replaces an earlier one. */
  add(row: InodeRow): void {
    let names = this.#byParent.get(row.parentId);
    if (names === undefined) this.#byParent.set(row.parentId, (names = new Map()));
    names.set(row.name, row);
  }

  get(key: InodeKey): InodeRow | undefined {
    return this.#byParent.get(key.parentId)?.get(key.name);
  }

  has(key: InodeKey): boolean {
    return this.get(key) !== undefined;
  }
}
