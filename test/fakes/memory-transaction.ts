import type { DbTransaction } from '../../namenode/dal/db-session';
import type { Mutation, Query, QueryResults } from '../../namenode/dal/query';
import { apply, evaluate } from './local-run';
import type { MemoryTables } from './memory-tables';
import { UndoLog } from './undo-log';

/**
 * One in-memory transaction. Its queries see committed rows only, as the
 * SQL ones do (writes travel with COMMIT); writes made by queries (the
 * retry-cache claim) and by `mutate` are journaled and undone on rollback;
 * `commit` applies the writes in order, all or none.
 */
export class MemoryTransaction implements DbTransaction {
  readonly #tables: MemoryTables;
  readonly #roundTrip: () => void;
  readonly #journal: UndoLog[] = [];
  #committed = false;

  constructor(tables: MemoryTables, roundTrip: () => void) {
    this.#tables = tables;
    this.#roundTrip = roundTrip;
  }

  get committed(): boolean {
    return this.#committed;
  }

  async run<T>(query: Query<T>): Promise<T> {
    const [result] = await this.runAll([query]);
    return result as T;
  }

  async runAll<const Q extends readonly Query<unknown>[]>(queries: Q): Promise<QueryResults<Q>> {
    this.#checkOpen();
    if (queries.length === 0) return [] as QueryResults<Q>;
    this.#roundTrip();
    return this.#tables.within(this.#journal, () => queries.map(evaluate)) as QueryResults<Q>;
  }

  async mutate(mutations: readonly Mutation[]): Promise<number[]> {
    this.#checkOpen();
    if (mutations.length === 0) return [];
    this.#roundTrip();
    return mutations.map((m) => {
      const { affected, undo } = apply(m);
      const log = new UndoLog();
      log.add(undo);
      this.#journal.push(log);
      return affected;
    });
  }

  async write(writes: readonly Mutation[]): Promise<void> {
    await this.mutate(writes);
  }

  async commit(writes: readonly Mutation[]): Promise<void> {
    this.#checkOpen();
    this.#roundTrip();
    const applied = new UndoLog();
    try {
      for (const m of writes) applied.add(apply(m).undo);
    } catch (e) {
      applied.undoAll();
      throw e;
    }
    this.#committed = true;
    this.#journal.length = 0;
  }

  async commitReading<T>(writes: readonly Mutation[], read: Query<T>): Promise<T> {
    await this.commit(writes);
    return evaluate(read) as T;
  }

  rollback(): void {
    for (let log = this.#journal.pop(); log; log = this.#journal.pop()) log.undoAll();
  }

  #checkOpen(): void {
    if (this.#committed) throw new Error('the transaction was already committed');
  }
}
