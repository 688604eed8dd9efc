import type { Logger } from 'pino';
import type { RetryKey } from '../dal/retry-cache-dal';
import type { SqlPool, SqlRow, SqlStatement } from '../dal/sql-session';
import type { HdfsPath } from '../path/hdfs-path';
import type { ChangeSet } from './change-set';
import type { HintCache } from './hint-cache';
import type { Resolution } from './path-resolver';
import type { RetryPolicy } from './retry-policy';

/** What a read-only operation may do: unlocked, coalesced reads. */
export interface ReadContext {
  resolve(path: HdfsPath): Promise<Resolution>;
  query(statement: SqlStatement): Promise<SqlRow[]>;
  /** Several statements in one round trip; one row list per statement. */
  queryMany(statements: readonly SqlStatement[]): Promise<SqlRow[][]>;
}

/** What the execute phase of a write may do: read under its locks and record changes. */
export interface WriteContext {
  readonly changes: ChangeSet;
  readonly now: number;
  query(statement: SqlStatement): Promise<SqlRow[]>;
  queryMany(statements: readonly SqlStatement[]): Promise<SqlRow[][]>;
  /** Runs after a successful commit (cache maintenance). */
  onCommit(fn: () => void): void;
}

export interface TxStats {
  transactions: number;
  /** Retried non-idempotent calls answered from the retry cache. */
  retryCacheHits: number;
  retries: number;
  staleResolutions: number;
  roundTrips: number;
}

export interface TransactionRunnerOptions {
  readonly pool: SqlPool;
  readonly cache: HintCache;
  readonly logger: Logger;
  readonly retry?: RetryPolicy;
  /** dfs.namenode.retrycache.expirytime.millis */
  readonly retryCacheExpiryMs?: number;
}

/** Options of one write: the at-most-once key of a non-idempotent call. */
export interface WriteOptions {
  readonly retryKey?: RetryKey | undefined;
}

