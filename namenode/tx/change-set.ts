import type { InodeRepository } from '../dal/inode-repository';
import type { InodeKey, InodeRow } from '../dal/inode-row';
import type { Mutation } from '../dal/query';

const CHUNK = 500;

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/**
 * The changes an operation made in memory, written at commit in as few
 * statements as possible: deletes first (an overwrite frees a key that an
 * insert or a rename then takes), then updates, inserts, and the other
 * tables' statements in the order they were added; last the statements
 * that lock shared counters (quota usage stripes, then busy directories'
 * rows), so those rows stay locked only while the transaction commits, and
 * always in that order.
 */
export class ChangeSet {
  readonly #inserts = new Map<number, InodeRow>();
  readonly #updates = new Map<number, { before: InodeKey; after: InodeRow }>();
  readonly #deletes = new Map<number, InodeKey>();
  readonly #extra: Mutation[] = [];
  readonly #counters: Mutation[] = [];
  readonly #touches: Mutation[] = [];
  readonly #inodes: InodeRepository;

  constructor(inodes: InodeRepository) {
    this.#inodes = inodes;
  }

  insert(row: InodeRow): void {
    this.#inserts.set(row.id, row);
  }

  /** `before` is the row as locked; repeated updates of one row merge. */
  update(before: InodeRow, after: InodeRow): void {
    const pending = this.#inserts.get(before.id);
    if (pending) {
      this.#inserts.set(before.id, after);
      return;
    }
    const prev = this.#updates.get(before.id);
    this.#updates.set(before.id, { before: prev ? prev.before : before, after });
  }

  delete(row: InodeRow): void {
    if (this.#inserts.delete(row.id)) return;
    const prev = this.#updates.get(row.id);
    this.#updates.delete(row.id);
    this.#deletes.set(row.id, prev ? prev.before : row);
  }

  add(...mutations: readonly Mutation[]): void {
    this.#extra.push(...mutations);
  }

  /** A quota usage change: after every other table's statements. */
  addCounter(m: Mutation): void {
    this.#counters.push(m);
  }

  /** A directory's row touched without a lock (InodeRepository.touchDirectory): the very last statement. */
  addTouch(m: Mutation): void {
    this.#touches.push(m);
  }

  get isEmpty(): boolean {
    return this.#inserts.size + this.#updates.size + this.#deletes.size + this.#extra.length + this.#counters.length + this.#touches.length === 0;
  }

  mutations(): Mutation[] {
    const inodes = this.#inodes;
    return [
      ...chunks([...this.#deletes.values()], CHUNK).map((keys) => inodes.deleteByPkBatched(keys)),
      ...[...this.#updates.values()].map((u) => inodes.updateByPk(u.before, u.after)),
      ...chunks([...this.#inserts.values()], CHUNK).map((rows) => inodes.insertBatched(rows)),
      ...this.#extra,
      ...this.#counters,
      ...this.#touches,
    ];
  }
}
