import { queryKey, type Query, type QueryResults } from '../dal/query';
import type { DbSession } from '../dal/db-session';

/**
 * Results of the reads a write declared for its lock phase (they travel in
 * the lock round trip, after the locking reads). The execute phase asks for
 * them as usual; a declared read is answered from here once, any other
 * goes to the database.
 */
export class PrefetchedReads {
  readonly #results = new Map<string, unknown>();

  constructor(queries: readonly Query<unknown>[], results: readonly unknown[]) {
    queries.forEach((q, i) => {
      const key = queryKey(q);
      if (key !== undefined) this.#results.set(key, results[i]);
    });
  }

  #take(q: Query<unknown>): { hit: boolean; value?: unknown } {
    const key = queryKey(q);
    if (key === undefined || !this.#results.has(key)) return { hit: false };
    const value = this.#results.get(key);
    this.#results.delete(key);
    return { hit: true, value };
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
