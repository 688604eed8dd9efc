import type { Mutation, Query, QueryResults } from './query';

/**
 * Where repositories' queries run. A session sends everything one call
 * carries in one round trip; the SQL session joins the statements, the
 * in-memory one (unit tests) evaluates them in order.
 */
export interface DbSession {
  run<T>(query: Query<T>): Promise<T>;
  runAll<const Q extends readonly Query<unknown>[]>(queries: Q): Promise<QueryResults<Q>>;
  /** Autocommit writes in one round trip; answers the rows each one changed. */
  mutate(mutations: readonly Mutation[]): Promise<number[]>;
}

/**
 * One transaction on one connection. The first `runAll` opens it (in the
 * same round trip as its queries); `commit` sends the writes with COMMIT.
 */
export interface DbTransaction extends DbSession {
  commit(writes: readonly Mutation[]): Promise<void>;
  /**
   * `commit`, with `read` sent after the writes and before COMMIT in the
   * same round trip: what the transaction's own locks make the committed
   * state (a coherent cache's writer keeps the rows it changed).
   */
  commitReading<T>(writes: readonly Mutation[], read: Query<T>): Promise<T>;
  /** Sends writes inside the transaction (opening it if needed) without COMMIT: their rows stay locked until `commit`. */
  write(writes: readonly Mutation[]): Promise<void>;
}

/** The database: autocommit reads and writes, and transactions scoped to a callback. */
export interface Db extends DbSession {
  /**
   * Runs `work` in a transaction: it commits through `tx.commit`; on any
   * error the transaction is rolled back (or its connection discarded when
   * the connection itself broke) and the error rethrown.
   */
  transaction<T>(work: (tx: DbTransaction) => Promise<T>): Promise<T>;
  /** Cheapest possible query: is the database there (the health check)? */
  ping(): Promise<void>;
  /** Round trips made so far (a metric). */
  readonly roundTrips: number;
  end(): Promise<void>;
}
