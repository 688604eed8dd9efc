import { DuplicateKey } from './duplicate-key';

/** A composite key as one Map key. */
export const compositeKey = (...parts: readonly (string | number)[]): string => JSON.stringify(parts);

/**
 * One table: rows in a Map keyed by the table's primary key, plus its
 * unique keys (checked by a scan: tables in unit tests are small). Every
 * change answers its undo.
 */
export class MemoryTable<R> {
  readonly #rows = new Map<string, R>();

  constructor(
    readonly name: string,
    readonly keyOf: (row: R) => string,
    readonly uniqueKeys: readonly ((row: R) => string)[] = [],
  ) {}

  get(key: string): R | undefined {
    return this.#rows.get(key);
  }

  rows(): R[] {
    return [...this.#rows.values()];
  }

  get size(): number {
    return this.#rows.size;
  }

  /** INSERT: a taken primary or unique key fails as MySQL does (errno 1062). */
  insert(row: R): () => void {
    const key = this.keyOf(row);
    if (this.#rows.has(key)) throw new DuplicateKey(this.name, key);
    for (const unique of this.uniqueKeys) {
      const value = unique(row);
      if (this.rows().some((r) => unique(r) === value)) throw new DuplicateKey(this.name, value);
    }
    this.#rows.set(key, row);
    return () => this.#rows.delete(key);
  }

  /** Rewrites the row at `oldKey` (its key may change); undefined when there is none. */
  replace(oldKey: string, row: R): (() => void) | undefined {
    const old = this.#rows.get(oldKey);
    if (old === undefined) return undefined;
    this.#rows.delete(oldKey);
    try {
      const undoInsert = this.insert(row);
      return () => {
        undoInsert();
        this.#rows.set(oldKey, old);
      };
    } catch (e) {
      this.#rows.set(oldKey, old);
      throw e;
    }
  }

  delete(key: string): (() => void) | undefined {
    const old = this.#rows.get(key);
    if (old === undefined) return undefined;
    this.#rows.delete(key);
    return () => this.#rows.set(key, old);
  }
}
