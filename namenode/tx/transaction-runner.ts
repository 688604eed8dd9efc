import type { Logger } from 'pino';
import type { InodeRow } from '../dal/inode-row';
import { selectByIdBatched, toInodeRow } from '../dal/inode-dal';
import { claimRetryEntry, recordRetryResponse, selectRetryResponse, type RetryKey } from '../dal/retry-cache-dal';
import {
  joinStatements,
  resultSets,
  rowsOf,
  type SqlConnection,
  type SqlPool,
  type SqlRow,
  type SqlSession,
  type SqlStatement,
} from '../dal/sql-session';
import { NamesystemError } from '../errors';
import type { HdfsPath } from '../path/hdfs-path';
import { ChangeSet } from './change-set';
import type { ReadContext, TransactionRunnerOptions, TxStats, WriteContext, WriteOptions } from './tx-contexts';
import { classifyDbError, StaleResolution } from './db-errors';
import type { HintCache } from './hint-cache';
import { planLocks, validateLocks, type LockedPath, type LockSpec } from './lock-plan';
import { LookupBatcher } from './lookup-batcher';
import { prefixText, resolvePath, type Resolution } from './path-resolver';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, sleep, type RetryPolicy } from './retry-policy';

export type { ReadContext, TransactionRunnerOptions, TxStats, WriteContext, WriteOptions } from './tx-contexts';

/** The call was already answered (committed) by this or another namenode. */
class AlreadyAnswered extends Error {}

/**
 * Runs every namespace operation as HopsFS does: resolve the paths (hint
 * cache, one batched round trip), lock the rows in the global order and
 * validate them (one round trip), execute in memory, then write all changes
 * and COMMIT in one round trip. Deadlocks, lock-wait timeouts, Galera
 * certification failures and stale resolutions are retried with jittered
 * backoff; typed namesystem errors roll back and surface as they are.
 */
export class TransactionRunner {
  readonly #pool: SqlPool;
  readonly #cache: HintCache;
  readonly #batcher: LookupBatcher;
  readonly #logger: Logger;
  readonly #retry: RetryPolicy;
  readonly #retryCacheExpiryMs: number;
  readonly stats: TxStats = { transactions: 0, retryCacheHits: 0, retries: 0, staleResolutions: 0, roundTrips: 0 };

  constructor(opts: TransactionRunnerOptions) {
    this.#pool = opts.pool;
    this.#cache = opts.cache;
    this.#batcher = new LookupBatcher(opts.pool);
    this.#logger = opts.logger;
    this.#retry = opts.retry ?? DEFAULT_RETRY_POLICY;
    this.#retryCacheExpiryMs = opts.retryCacheExpiryMs ?? 600_000;
  }

  get batcher(): LookupBatcher {
    return this.#batcher;
  }

  async read<T>(op: string, fn: (r: ReadContext) => Promise<T>): Promise<T> {
    const ctx: ReadContext = {
      resolve: (path) => resolvePath(path, this.#cache, (keys) => this.#batcher.lookup(keys)),
      query: async (s) => {
        this.stats.roundTrips++;
        const [raw] = await this.#pool.query(s.sql, s.params);
        return rowsOf(raw);
      },
      queryMany: (ss) => this.#queryMany(this.#pool, ss),
    };
    return this.#withRetry(op, () => fn(ctx));
  }

  async write<T>(
    op: string,
    specs: readonly LockSpec[],
    execute: (locked: LockedPath[], tx: WriteContext) => Promise<T>,
    opts: WriteOptions = {},
  ): Promise<T> {
    return this.#withRetry(op, async () => {
      const resolutions = await Promise.all(
        specs.map((s) => resolvePath(s.path, this.#cache, (keys) => this.#batcher.lookup(keys))),
      );
      return this.#onConnection(
        (conn) => this.#attempt(conn, specs, resolutions, execute, opts.retryKey),
        async (e, conn) => {
          if (e instanceof AlreadyAnswered && opts.retryKey) {
            await conn.query('ROLLBACK');
            return { answer: await this.#cachedAnswer<T>(opts.retryKey) };
          }
          if (e instanceof StaleResolution) for (const s of specs) this.#forget(s.path);
          return undefined;
        },
      );
    });
  }

  /**
   * A write on one inode known by id (block operations name a block, not a
   * path): the inode row is locked exclusively and handed over, or
   * undefined when it no longer exists.
   */
  async writeInode<T>(op: string, inodeId: number, execute: (inode: InodeRow | undefined, tx: WriteContext) => Promise<T>): Promise<T> {
    return this.#withRetry(op, () =>
      this.#onConnection(async (conn) => {
        const lock = joinStatements([{ sql: 'START TRANSACTION', params: [] }, selectByIdBatched([inodeId], 'exclusive')]);
        this.stats.roundTrips++;
        const [raw] = await conn.query(lock.sql, lock.params);
        const row = rowsOf(resultSets(raw, 2)[1])[0];
        const { ctx, commit } = this.#writeContext(conn);
        const result = await execute(row ? toInodeRow(row) : undefined, ctx);
        await commit();
        return result;
      }),
    );
  }

  /** The committed answer of an earlier attempt of this call; if it vanished (rolled back), run again. */
  async #cachedAnswer<T>(key: RetryKey): Promise<T> {
    const stmt = selectRetryResponse(key);
    const [raw] = await this.#pool.query(stmt.sql, stmt.params);
    const row = rowsOf(raw)[0];
    const response = row?.['response'];
    if (!Buffer.isBuffer(response)) throw new StaleResolution(`retry of call ${key.callId}`);
    this.stats.retryCacheHits++;
    this.#logger.debug({ method: key.method, callId: key.callId }, 'answered from the retry cache');
    return JSON.parse(response.toString('utf8')) as T;
  }

  /**
   * Runs `work` on a pooled connection. On failure the transaction is rolled
   * back (or, when the connection itself broke, the connection discarded)
   * unless `recover` turns the error into an answer.
   */
  async #onConnection<T>(
    work: (conn: SqlConnection) => Promise<T>,
    recover?: (e: unknown, conn: SqlConnection) => Promise<{ answer: T } | undefined>,
  ): Promise<T> {
    const conn = await this.#pool.getConnection();
    let healthy = true;
    try {
      return await work(conn);
    } catch (e) {
      const recovered = await recover?.(e, conn);
      if (recovered) return recovered.answer;
      if (classifyDbError(e) === 'connection') healthy = false;
      else await conn.query('ROLLBACK').catch(() => (healthy = false));
      throw e;
    } finally {
      if (healthy) conn.release();
      else conn.destroy();
    }
  }

  #writeContext(conn: SqlConnection): { ctx: WriteContext; commit: () => Promise<void> } {
    const commitHooks: (() => void)[] = [];
    const ctx: WriteContext = {
      changes: new ChangeSet(),
      now: Date.now(),
      query: async (s) => {
        this.stats.roundTrips++;
        const [r] = await conn.query(s.sql, s.params);
        return rowsOf(r);
      },
      queryMany: (ss) => this.#queryMany(conn, ss),
      onCommit: (fn) => commitHooks.push(fn),
    };
    const commit = async () => {
      const writes = ctx.changes.statements();
      const stmt = joinStatements([...writes, { sql: 'COMMIT', params: [] }]);
      this.stats.roundTrips++;
      await conn.query(stmt.sql, stmt.params);
      this.stats.transactions++;
      for (const hook of commitHooks) hook();
    };
    return { ctx, commit };
  }

  async #attempt<T>(
    conn: SqlConnection,
    specs: readonly LockSpec[],
    resolutions: readonly Resolution[],
    execute: (locked: LockedPath[], tx: WriteContext) => Promise<T>,
    retryKey: RetryKey | undefined,
  ): Promise<T> {
    const { statements } = planLocks(specs, resolutions);
    const pre: SqlStatement[] = [{ sql: 'START TRANSACTION', params: [] }];
    if (retryKey) pre.push(claimRetryEntry(retryKey, Date.now() + this.#retryCacheExpiryMs));
    const lockQuery = joinStatements([...pre, ...statements]);
    this.stats.roundTrips++;
    let raw: unknown;
    try {
      [raw] = await conn.query(lockQuery.sql, lockQuery.params);
    } catch (e) {
      if (retryKey && classifyDbError(e) === 'duplicate') throw new AlreadyAnswered();
      throw e;
    }
    const sets = resultSets(raw, statements.length + pre.length).slice(pre.length);
    const locked = validateLocks(specs, resolutions, sets);
    const { ctx, commit } = this.#writeContext(conn);
    const result = await execute(locked, ctx);
    if (retryKey) ctx.changes.add(recordRetryResponse(retryKey, JSON.stringify(result ?? null)));
    await commit();
    return result;
  }

  async #queryMany(db: SqlSession, statements: readonly SqlStatement[]): Promise<SqlRow[][]> {
    if (statements.length === 0) return [];
    this.stats.roundTrips++;
    const joined = joinStatements(statements);
    const [raw] = await db.query(joined.sql, joined.params);
    return resultSets(raw, statements.length).map(rowsOf);
  }

  /** One autocommit statement outside any transaction (heartbeats, lease renewal). */
  async exec(op: string, statement: SqlStatement): Promise<SqlRow[]> {
    return this.#withRetry(op, async () => {
      this.stats.roundTrips++;
      const [raw] = await this.#pool.query(statement.sql, statement.params);
      return rowsOf(raw);
    });
  }

  /** Unlocked reads in one round trip, outside any transaction (housekeeping scans). */
  readonly queryManyAutocommit = (statements: readonly SqlStatement[]): Promise<SqlRow[][]> => this.#queryMany(this.#pool, statements);

  /** Idempotent autocommit statements in one round trip; answers the rows each one changed. */
  async execMany(op: string, statements: readonly SqlStatement[]): Promise<number[]> {
    if (statements.length === 0) return [];
    return this.#withRetry(op, async () => {
      this.stats.roundTrips++;
      const joined = joinStatements(statements);
      const [raw] = await this.#pool.query(joined.sql, joined.params);
      return resultSets(raw, statements.length).map((r) => Number((r as { affectedRows?: number }).affectedRows ?? 0));
    });
  }

  /** A transaction that locks what its statements lock, for work queues that are not paths. */
  async transaction<T>(op: string, execute: (tx: WriteContext) => Promise<T>): Promise<T> {
    return this.#withRetry(op, async () => {
      return this.#onConnection(async (conn) => {
        await conn.query('START TRANSACTION');
        const { ctx, commit } = this.#writeContext(conn);
        const result = await execute(ctx);
        await commit();
        return result;
      });
    });
  }

  #forget(path: HdfsPath): void {
    for (let d = 1; d <= path.components.length; d++) this.#cache.delete(prefixText(path, d));
  }

  /** Drops the hints for a path and everything cached beneath it is then unreachable. */
  forgetPath(path: HdfsPath): void {
    this.#cache.delete(path.text);
  }

  rememberPath(path: HdfsPath, row: InodeRow): void {
    this.#cache.set(path.text, row.id);
  }

  async #withRetry<T>(op: string, attempt: () => Promise<T>): Promise<T> {
    const started = performance.now();
    for (let i = 0; ; i++) {
      try {
        const result = await attempt();
        this.#logger.debug({ op, attempts: i + 1, ms: +(performance.now() - started).toFixed(2) }, 'op');
        return result;
      } catch (e) {
        if (e instanceof NamesystemError) {
          this.#logger.debug({ op, attempts: i + 1, err: e.kind, msg: e.message }, 'op failed');
          throw e;
        }
        const cls = e instanceof StaleResolution ? 'stale' : classifyDbError(e);
        const retriable = cls === 'stale' || cls === 'transient' || cls === 'connection';
        if (!retriable || i + 1 >= this.#retry.maxAttempts) {
          this.#logger.warn({ op, attempts: i + 1, err: e }, 'op failed');
          if (retriable) throw new NamesystemError('TransientStorage', `${op}: database busy, gave up after ${i + 1} attempts: ${(e as Error).message}`);
          throw e;
        }
        this.stats.retries++;
        if (cls === 'stale') this.stats.staleResolutions++;
        await sleep(cls === 'stale' && i === 0 ? 0 : backoffDelayMs(this.#retry, i));
      }
    }
  }
}
