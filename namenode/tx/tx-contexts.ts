import type { CallCount } from './call-count';
import type { Logger } from 'pino';
import type { FileBlockRowSet } from '../dal/block-repository';
import type { Db } from '../dal/db-session';
import type { Mutation, Query, QueryResults } from '../dal/query';
import type { LockedPath } from './lock-plan';
import type { Repositories } from '../dal/repositories';
import type { RetryKey } from '../domain/retry-key';
import type { HdfsPath } from '../path/hdfs-path';
import type { ChangeSet } from './change-set';
import type { FleetMembership } from './fleet-membership';
import type { LingerSettings } from './batch-linger';
import type { MetadataCache } from './metadata-cache';
import type { Resolution } from './path-resolver';
import type { TargetRef } from './hinted-path';
import type { RetryPolicy } from './retry-policy';
import type { RowCache } from './row-cache';

/** Runs repositories' queries: everything one `runAll` carries travels in one round trip. */
export interface QueryRunner {
  /** The repositories whose queries `run` accepts. */
  readonly dal: Repositories;
  run<T>(query: Query<T>): Promise<T>;
  runAll<const Q extends readonly Query<unknown>[]>(queries: Q): Promise<QueryResults<Q>>;
}

/** What a read-only operation may do: unlocked, coalesced reads. */
export interface ReadContext extends QueryRunner {
  resolve(path: HdfsPath): Promise<Resolution>;
  /**
   * `resolve`, with the block rows (no pipelines) of the files the lookups
   * found, read in the same statement, by inode id; none when the coherent
   * cache serves the rows (its own block entries answer then).
   */
  resolveWithBlocks(path: HdfsPath): Promise<ResolutionWithBlocks>;
}

export interface ResolutionWithBlocks {
  readonly resolution: Resolution;
  readonly files: ReadonlyMap<number, FileBlockRowSet>;
}

/** What the execute phase of a write may do: read under its locks and record changes. */
export interface WriteContext extends QueryRunner {
  readonly changes: ChangeSet;
  readonly now: number;
  /**
   * True when an earlier attempt of this call failed on a guarded statement
   * (see db-errors.ts): the operation takes its locks and checks exactly
   * instead of sending guarded statements again.
   */
  readonly exact: boolean;
  /** Runs after a successful commit (cache maintenance). */
  onCommit(fn: () => void): void;
}

/** Turns a committing transaction's changes into the change log's rows, sent last with its COMMIT (namenode/changelog). */
export interface ChangeRecorder {
  mutationsFor(changes: ChangeSet, locked: readonly LockedPath[], nowMs: number): Promise<Mutation[]>;
}

export interface TxStats {
  transactions: number;
  /** Retried non-idempotent calls answered from the retry cache. */
  retryCacheHits: number;
  retries: number;
  staleResolutions: number;
  /** Writes whose paths came from hints alone, with no read before their lock round trip. */
  hintedWrites: number;
}

export interface TransactionRunnerOptions {
  readonly db: Db;
  readonly dal: Repositories;
  readonly cache: MetadataCache;
  /** A coherent inode cache (namenode/cache); without one every lookup reads the database. */
  readonly rows?: RowCache | undefined;
  readonly logger: Logger;
  readonly retry?: RetryPolicy;
  /** Whose subtree locks are live (leader election's view); everyone's by default. */
  readonly membership?: FleetMembership;
  /** dfs.namenode.retrycache.expirytime.millis */
  readonly retryCacheExpiryMs?: number;
  /** Writes each committing transaction's change events (namenode/changelog); none when absent. */
  readonly changeLog?: ChangeRecorder | undefined;
  /** Concurrent path writes share one transaction (group-commit.ts). */
  readonly groupCommit?: boolean;
  /** Writes whose paths the hint cache knows skip their resolution read (hinted-path.ts); on by default. */
  readonly hintedWrites?: boolean;
  /** How a short batch of unlocked lookups waits for company (batch-linger.ts); none by default. */
  readonly lookupLinger?: LingerSettings;
  /** How a short group of path writes waits for company (group-commit.ts, batch-linger.ts); none by default. */
  readonly writeLinger?: LingerSettings;
  /** How many client calls the namenode is serving; the write linger waits only while some are not writes queued or in flight. */
  readonly callsInProgress?: CallCount;
}

/** Options of one write. */
export interface WriteOptions {
  /** The at-most-once key of a non-idempotent call. */
  readonly retryKey?: RetryKey | undefined;
  /**
   * Reads the execute phase will make, declared up front from the targets
   * as resolved (before locking; validation guarantees the locked rows have
   * the same ids) and the transaction's `now`: they travel in the lock
   * round trip, after the locking reads, instead of one round trip each.
   */
  /** The subtree root this namenode's own subtree operation holds: its lock does not refuse this write. */
  readonly ownedSubtreeRoot?: number;
  readonly reads?: (targets: readonly (TargetRef | undefined)[], now: number) => readonly Query<unknown>[];
}

/** Options of a write on one inode known by id. */
export interface InodeWriteOptions {
  /** A client's pipeline step (not a datanode's or the leader's recovery): refused in safe mode as HDFS does. */
  readonly refuseInSafeMode?: boolean;
  /** The at-most-once key of a non-idempotent call (updatePipeline). */
  readonly retryKey?: RetryKey | undefined;
}

export const newTxStats = (): TxStats => ({ transactions: 0, retryCacheHits: 0, retries: 0, staleResolutions: 0, hintedWrites: 0 });
