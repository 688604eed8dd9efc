import { classifyDbError } from '../db-errors';
import type { Db, DbSession, DbTransaction } from '../db-session';
import type { Mutation, Query, QueryResults } from '../query';
import { joinStatements, resultSets, type SqlPoolConnection, type SqlPool, type SqlSession, type SqlStatement } from './sql-session';

const BEGIN: SqlStatement = { sql: 'START TRANSACTION', params: [] };
const COMMIT: SqlStatement = { sql: 'COMMIT', params: [] };

/** A mutation's statements: its own, then its guard if it has one. */
function sqlOf(m: Mutation): SqlStatement[] {
  if (m.kind !== 'sql') throw new Error('an in-memory mutation was sent to the SQL database');
  return m.guard ? [m.statement, m.guard] : [m.statement];
}

/** The rows each mutation changed: the affected rows of its own statement, its guard's result skipped. */
function affectedRows(mutations: readonly Mutation[], sets: readonly unknown[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const m of mutations) {
    out.push(Number((sets[at] as { affectedRows?: number } | undefined)?.affectedRows ?? 0));
    at += m.kind === 'sql' && m.guard ? 2 : 1;
  }
  return out;
}

/**
 * Sends queries over one MySQL session: every statement of one call in one
 * round trip (`prefix` statements, e.g. START TRANSACTION, travel first),
 * each query's decoder handed its own result sets.
 */
type OnRoundTrip = (statements: readonly SqlStatement[]) => void;

async function send(session: SqlSession, queries: readonly Query<unknown>[], prefix: readonly SqlStatement[], onRoundTrip: OnRoundTrip): Promise<unknown[]> {
  const statements: SqlStatement[] = [...prefix];
  for (const q of queries) {
    if (q.kind !== 'sql') throw new Error('an in-memory query was sent to the SQL database');
    statements.push(...q.statements);
  }
  if (statements.length === 0) return [];
  onRoundTrip(statements);
  const only = statements.length === 1 ? (statements[0] as SqlStatement) : undefined;
  const [raw] = only?.prepared && canPrepare(session) ? await executePrepared(session, only) : await session.query(joinStatements(statements));
  const sets = resultSets(raw, statements.length);
  let at = prefix.length;
  return queries.map((q) => {
    const n = (q as { statements: readonly SqlStatement[] }).statements.length;
    const mine = sets.slice(at, at + n);
    at += n;
    return (q as { decode: (r: readonly unknown[]) => unknown }).decode(mine);
  });
}

const canPrepare = (session: SqlSession): session is SqlSession & Required<Pick<SqlSession, 'execute'>> => session.execute !== undefined;

/**
 * A statement alone in its round trip, as a prepared statement: the server
 * parses it once per connection instead of every time, and answers in the
 * binary protocol, which the driver decodes without parsing numbers out of
 * text. A hot lookup's statement measured against a namenode's MariaDB
 * (5 keys, 32 callers, 16 connections): 158 → 106 µs of MariaDB CPU and
 * 113 → 70 µs of the caller's per statement; see bench/README.md,
 * *Renames in groups; lookups as prepared statements*. A server that has no room left for
 * another prepared statement (ER_MAX_PREPARED_STMT_COUNT_REACHED: the cap
 * is server-wide) gets the text.
 */
async function executePrepared(session: SqlSession & Required<Pick<SqlSession, 'execute'>>, statement: SqlStatement): Promise<[unknown, unknown]> {
  try {
    return await session.execute(statement.sql, statement.params);
  } catch (e) {
    if ((e as { errno?: number }).errno !== ER_MAX_PREPARED_STMT_COUNT_REACHED) throw e;
    return session.query(joinStatements([statement]));
  }
}

const ER_MAX_PREPARED_STMT_COUNT_REACHED = 1461;

async function mutate(session: SqlSession, mutations: readonly Mutation[], onRoundTrip: OnRoundTrip): Promise<number[]> {
  if (mutations.length === 0) return [];
  const statements = mutations.flatMap(sqlOf);
  const sql = joinStatements(statements);
  onRoundTrip(statements);
  const [raw] = await session.query(sql);
  return affectedRows(mutations, resultSets(raw, statements.length));
}

class SqlSessionAdapter implements DbSession {
  constructor(
    protected readonly session: SqlSession,
    protected readonly onRoundTrip: OnRoundTrip,
  ) {}

  async run<T>(query: Query<T>): Promise<T> {
    const [result] = await this.runAll([query]);
    return result as T;
  }

  async runAll<const Q extends readonly Query<unknown>[]>(queries: Q): Promise<QueryResults<Q>> {
    return (await send(this.session, queries, [], this.onRoundTrip)) as QueryResults<Q>;
  }

  mutate(mutations: readonly Mutation[]): Promise<number[]> {
    return mutate(this.session, mutations, this.onRoundTrip);
  }
}

/**
 * Statements whose results nobody reads, as one MariaDB compound statement
 * (`BEGIN NOT ATOMIC … END`, MariaDB 10.1.1+). A multi-statement query
 * answers each statement with its own packet, and MariaDB flushes each one:
 * a namenode that is not busy wakes, reads and parses once per statement
 * (8 times for a create's write and COMMIT). Inside a compound statement
 * only the whole answers, once. The statements run in the same order with
 * the same effects: the first failing one stops the rest and its error is
 * the answer, as in a multi-statement query; the transaction stays open
 * for the ROLLBACK that follows, as before.
 */
function compound(statements: readonly SqlStatement[]): string {
  return `BEGIN NOT ATOMIC\n${joinStatements(statements)};\nEND`;
}

/** Whether the server takes compound statements outside stored programs (MariaDB does, MySQL does not). */
export async function compoundStatementsSupported(session: SqlSession): Promise<boolean> {
  try {
    await session.query('BEGIN NOT ATOMIC DO 1; END');
    return true;
  } catch (e) {
    if ((e as { errno?: number }).errno === ER_PARSE_ERROR) return false;
    throw e;
  }
}

const ER_PARSE_ERROR = 1064;

class SqlTransaction extends SqlSessionAdapter implements DbTransaction {
  #begun = false;

  constructor(
    session: SqlSession,
    onRoundTrip: OnRoundTrip,
    private readonly compoundWrites: boolean,
  ) {
    super(session, onRoundTrip);
  }

  override async runAll<const Q extends readonly Query<unknown>[]>(queries: Q): Promise<QueryResults<Q>> {
    const prefix = this.#begun ? [] : [BEGIN];
    this.#begun = true;
    return (await send(this.session, queries, prefix, this.onRoundTrip)) as QueryResults<Q>;
  }

  /** Writes inside the transaction (opening it if needed), without COMMIT; answers the rows each one changed. */
  override async mutate(mutations: readonly Mutation[]): Promise<number[]> {
    if (mutations.length === 0) return [];
    const prefix = this.#begun ? [] : [BEGIN];
    this.#begun = true;
    const statements = [...prefix, ...mutations.flatMap(sqlOf)];
    const sql = joinStatements(statements);
    this.onRoundTrip(statements);
    const [raw] = await this.session.query(sql);
    return affectedRows(mutations, resultSets(raw, statements.length).slice(prefix.length));
  }

  async commit(writes: readonly Mutation[]): Promise<void> {
    await this.#send([...writes.flatMap(sqlOf), COMMIT]);
  }

  async commitReading<T>(writes: readonly Mutation[], read: Query<T>): Promise<T> {
    if (read.kind !== 'sql') throw new Error('an in-memory query was sent to the SQL database');
    const written = writes.flatMap(sqlOf);
    const before = (this.#begun ? 0 : 1) + written.length;
    const { raw, statements, compounded } = await this.#send([...written, ...read.statements, COMMIT]);
    // A compound statement answers the result sets of its SELECTs, then one OK; a multi-statement query one result per statement.
    const sets = compounded ? (raw as unknown[]).filter((r) => Array.isArray(r)) : resultSets(raw, statements);
    return read.decode(compounded ? sets.slice(0, read.statements.length) : sets.slice(before, before + read.statements.length));
  }

  async write(writes: readonly Mutation[]): Promise<void> {
    if (writes.length > 0) await this.#send(writes.flatMap(sqlOf));
  }

  async #send(tail: readonly SqlStatement[]): Promise<{ raw: unknown; statements: number; compounded: boolean }> {
    const statements = [...(this.#begun ? [] : [BEGIN]), ...tail];
    this.#begun = true;
    const compounded = this.compoundWrites && statements.length > 1;
    this.onRoundTrip(statements);
    const [raw] = await this.session.query(compounded ? compound(statements) : joinStatements(statements));
    return { raw, statements: statements.length, compounded };
  }
}

/** A statement's first word, upper-cased ('?' when there is none): a scan of its first characters, not a RegExp over the text. */
function firstWord(sql: string): string {
  let start = 0;
  while (start < sql.length && /\s/.test(sql[start] as string)) start++;
  let end = start;
  while (end < sql.length && isWordChar(sql.charCodeAt(end))) end++;
  return end === start ? '?' : sql.slice(start, end).toUpperCase();
}

const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/** Statements sent, by their first word (SELECT, INSERT, START, COMMIT…). */
export type StatementCounts = Readonly<Record<string, number>>;

/** The SQL database behind a mysql2 pool. */
export class SqlDb extends SqlSessionAdapter implements Db {
  readonly #pool: SqlPool;
  readonly #counter: { roundTrips: number; statements: Record<string, number> };
  /** Writes and COMMITs whose results are not read go as one compound statement (`compound` above); set once the server is known to take them. */
  compoundWrites = false;

  constructor(pool: SqlPool) {
    const counter = { roundTrips: 0, statements: {} as Record<string, number> };
    super(pool, (statements) => {
      counter.roundTrips++;
      for (const s of statements) {
        const verb = firstWord(s.sql);
        counter.statements[verb] = (counter.statements[verb] ?? 0) + 1;
      }
    });
    this.#pool = pool;
    this.#counter = counter;
  }

  get roundTrips(): number {
    return this.#counter.roundTrips;
  }

  /**
   * This database's own statements so far: unlike the server's counters
   * (SHOW GLOBAL STATUS), untouched by other clients of the same server.
   */
  statementCounts(): StatementCounts {
    return { ...this.#counter.statements };
  }

  /**
   * DO, not SELECT: on Galera a SELECT waits for causality (wsrep_sync_wait,
   * galera-session.ts), which stalls on every node while the cluster
   * evicts a dead member (~6 s); the balancer would then take every
   * namenode out at once, and clients would find no namenode instead of a
   * slow one.
   */
  async ping(): Promise<void> {
    await this.#pool.query('DO 1');
  }

  async transaction<T>(work: (tx: DbTransaction) => Promise<T>): Promise<T> {
    const conn: SqlPoolConnection = await this.#pool.getConnection();
    let healthy = true;
    try {
      return await work(new SqlTransaction(conn, this.onRoundTrip, this.compoundWrites));
    } catch (e) {
      if (classifyDbError(e) === 'connection') healthy = false;
      else await conn.query('ROLLBACK').catch(() => (healthy = false));
      throw e;
    } finally {
      if (healthy) conn.release();
      else conn.destroy();
    }
  }

  end(): Promise<void> {
    return this.#pool.end();
  }
}

/** A session over a single connection that is not a pool (the counters' side channel): no transactions. */
export const sqlSessionOf = (session: SqlSession): DbSession => new SqlSessionAdapter(session, () => undefined);
