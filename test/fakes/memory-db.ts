import { AsyncLocalStorage } from 'node:async_hooks';
import type { Db, DbTransaction } from '../../namenode/dal/db-session';
import type { Mutation, Query, QueryResults } from '../../namenode/dal/query';
import { AsyncMutex } from './async-mutex';
import { apply, evaluate } from './local-run';
import { MemoryTables } from './memory-tables';
import { MemoryTransaction } from './memory-transaction';

/**
 * The database of unit tests. Transactions run one at a time (so lock
 * modes need no emulation and no deadlock can happen); autocommit calls do
 * not wait for them, since a namenode makes them from inside transactions
 * (id ranges, generation stamps). Counts round trips like `SqlDb`: one per
 * run, runAll, mutate and commit.
 */
export class MemoryDb implements Db {
  readonly tables: MemoryTables;
  readonly #mutex = new AsyncMutex();
  readonly #inTransaction = new AsyncLocalStorage<true>();
  #roundTrips = 0;
  commits = 0;
  rollbacks = 0;

  constructor(tables: MemoryTables = new MemoryTables()) {
    this.tables = tables;
  }

  get roundTrips(): number {
    return this.#roundTrips;
  }

  async run<T>(query: Query<T>): Promise<T> {
    const [result] = await this.runAll([query]);
    return result as T;
  }

  async runAll<const Q extends readonly Query<unknown>[]>(queries: Q): Promise<QueryResults<Q>> {
    if (queries.length === 0) return [] as QueryResults<Q>;
    this.#roundTrips++;
    return this.tables.within(undefined, () => queries.map(evaluate)) as QueryResults<Q>;
  }

  /** Each write commits on its own: a failing one leaves the earlier ones applied, as autocommit statements do. */
  async mutate(mutations: readonly Mutation[]): Promise<number[]> {
    if (mutations.length === 0) return [];
    this.#roundTrips++;
    return mutations.map((m) => apply(m).affected);
  }

  async transaction<T>(work: (tx: DbTransaction) => Promise<T>): Promise<T> {
    // Waiting for our own lock would hang the test; the SQL Db would take a second connection.
    if (this.#inTransaction.getStore()) throw new Error('a transaction was opened inside another one on the same MemoryDb');
    const release = await this.#mutex.acquire();
    const tx = new MemoryTransaction(this.tables, () => this.#roundTrips++);
    try {
      const result = await this.#inTransaction.run(true, () => work(tx));
      // A transaction that never committed wrote nothing.
      if (!tx.committed) tx.rollback();
      else this.commits++;
      return result;
    } catch (e) {
      tx.rollback();
      this.rollbacks++;
      throw e;
    } finally {
      release();
    }
  }

  async ping(): Promise<void> {}

  async end(): Promise<void> {}
}
