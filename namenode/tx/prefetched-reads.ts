import type { Query, QueryResults } from '../dal/query';
import { QueryTable } from '../dal/query-table';
import type { DbSession } from '../dal/db-session';

/**
 * Results of the reads a write declared for its lock phase (they travel in
 * the lock round trip, after the locking reads). The execute phase asks for
 * them as usual; a declared read is answered from here once, any other
 * goes to the database.
 */
export class PrefetchedReads {
  readonly #results = new QueryTable<unknown>();

  constructor(queries: readonly Query<unknown>[], results: readonly unknown[]) {
    queries.forEach((q, i) => this.#results.keep(q, results[i]));
  }

  #take(q: Query<unknown>): { hit: boolean; value?: unknown } {
    const found = this.#results.take(q);
    return found === undefined ? { hit: false } : { hit: true, value: found.value };
  }

  async run<T>(db: DbSession, q: Query<T>): Promise<T> {
    const got = this.#take(q);
    return got.hit ? (got.value as T) : db.run(q);
  }

  async runAll<const Q extends readonly Query<unknown>[]>(db: DbSession, queries: Q): Promise<QueryResults<Q>> {
    const taken = queries.map((q) => this.#take(q));
    const missing = queries.filter((_, i) => !taken[i]?.hit);
    const fetched = missing.length > 0 ? await db.runAll(missing) : [];
    let next = 0;
    return taken.map((t) => (t.hit ? t.value : fetched[next++])) as QueryResults<Q>;
  }
}
