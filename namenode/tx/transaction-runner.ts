import type { Logger } from 'pino';
import { classifyDbError } from '../dal/db-errors';
import type { Db, DbTransaction } from '../dal/db-session';
import { idsOfTokens, isDirectory, isSnapshottable, type InodeKey, type InodeRow } from '../dal/inode-row';
import { coalesceMutations, invalidatedBy, type Mutation, type Query, type QueryResults } from '../dal/query';
import type { Repositories } from '../dal/repositories';
import type { FileBlockRowSet } from '../dal/block-repository';
import type { RetryKey } from '../domain/retry-key';
import { NamesystemError } from '../errors';
import { MAX_PATH_DEPTH, type HdfsPath } from '../path/hdfs-path';
import { lockedPathOfAncestry } from './ancestry-path';
import { ChangeSet } from './change-set';
import { GroupCommitter, type GroupHost, type LockReads } from './group-commit';
import type { BatchLinger } from './batch-linger';
import { GROUPED_OPS } from './group-batches';
import { planLocks, validateLocks, type LockedPath, type LockSpec } from './lock-plan';
import type { RowsByKey } from './rows-by-key';
import { LOOKUP_BATCHES_IN_FLIGHT, LookupBatcher } from './lookup-batcher';
import type { MetadataCache } from './metadata-cache';
import { alignedRows, prefixText, resolvePath, type Resolution } from './path-resolver';
import { hintedFrom, pathHints, resolvedRows, writeTarget, type WriteResolution } from './hinted-path';
import { PrefetchedReads } from './prefetched-reads';
import type { RowCache } from './row-cache';
import { refuseInSafeMode } from './safe-mode';
import { heldSnapshotBelow, newestSnapshotAbove, refuseWriteInSnapshot } from './read-only-snapshot';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, sleep, type RetryPolicy } from './retry-policy';
import { RunExact } from './run-exact';
import { StaleResolution } from './stale-resolution';
import { checkNoLink } from './unresolved-link';
import type { FleetMembership } from './fleet-membership';
import { refuseLockedSubtree } from './subtree-lock-check';
import {
  newTxStats,
  type ChangeRecorder,
  type InodeWriteOptions,
  type QueryRunner,
  type ReadContext,
  type TransactionRunnerOptions,
  type ResolutionWithBlocks,
  type TxStats,
  type WriteContext,
  type WriteOptions,
} from './tx-contexts';

export type { InodeWriteOptions, ReadContext, TransactionRunnerOptions, TxStats, WriteContext, WriteOptions } from './tx-contexts';

/** A write naming more rows than this by id (a big group, a concat) reads none back for the cache: they are read again when asked for. */
const MAX_WRITER_READ_BACK = 64;

/** The call was already answered (committed) by this or another namenode. */
class AlreadyAnswered extends Error {}

/** What the retry cache keeps of an answered call: who made it, and its answer. */
interface RecordedAnswer {
  readonly user: string;
  readonly answer: unknown;
}

/**
 * Runs every namespace operation as HopsFS does: resolve the paths (hint
 * cache, one batched round trip; none for a write whose path the hints
 * cover, hinted-path.ts), lock the rows in the global order and validate
 * them (one round trip), execute in memory, then write all changes and
 * COMMIT in one round trip. Deadlocks, lock-wait timeouts, Galera
 * certification failures and stale resolutions are retried with jittered
 * backoff; typed namesystem errors roll back and surface as they are.
 *
 * Every path write is a client's namespace mutation, and HDFS refuses
 * those in safe mode: the fleet's safe mode is a column of the root's row,
 * which the lock round trip always locks (lock-plan.ts). Entering safe mode
 * updates that row, so it waits for the mutations in flight and every later
 * one sees it on: a mutation commits before safe mode or not at all, at the
 * price of one column of a row the write locks anyway.
 *
 * With `groupCommit`, path writes of the kinds group-batches.ts lists that
 * arrive in the same tick share one transaction (group-commit.ts): the
 * same phases, once for the group, each member's answer its own.
 */
export class TransactionRunner {
  readonly #db: Db;
  readonly #dal: Repositories;
  readonly #cache: MetadataCache;
  readonly #batcher: LookupBatcher;
  /** getBlockLocations' lookups: the same keys with the files' block rows, one statement (unused with the coherent cache). */
  readonly #blockBatcher: LookupBatcher;
  readonly #rows: { readonly cache: RowCache; readonly batcher: LookupBatcher } | undefined;
  readonly #logger: Logger;
  readonly #retry: RetryPolicy;
  readonly #retryCacheExpiryMs: number;
  readonly #membership: FleetMembership;
  readonly #changeLog: ChangeRecorder | undefined;
  readonly #group: GroupCommitter | undefined;
  readonly #hintedWrites: boolean;
  readonly stats: TxStats;

  constructor(opts: TransactionRunnerOptions) {
    this.#db = opts.db;
    this.#dal = opts.dal;
    this.#cache = opts.cache;
    this.#batcher = new LookupBatcher(opts.db, opts.dal.inodes, 'none', false, LOOKUP_BATCHES_IN_FLIGHT, opts.lookupLinger, opts.callsInProgress);
    this.#blockBatcher = new LookupBatcher(opts.db, opts.dal.inodes, 'none', true, LOOKUP_BATCHES_IN_FLIGHT, opts.lookupLinger, opts.callsInProgress);
    // Unlimited flights, as before the in-flight limit (what the cache's figures were measured with).
    this.#rows = opts.rows && { cache: opts.rows, batcher: new LookupBatcher(opts.db, opts.dal.inodes, 'sharedSkipLocked', false, Infinity) };
    this.#logger = opts.logger;
    this.#retry = opts.retry ?? DEFAULT_RETRY_POLICY;
    this.#retryCacheExpiryMs = opts.retryCacheExpiryMs ?? 600_000;
    this.#membership = opts.membership ?? { selfId: 0, isLive: () => true };
    this.#changeLog = opts.changeLog;
    this.stats = newTxStats();
    this.#group = opts.groupCommit ? new GroupCommitter(this.#groupHost(), { linger: opts.writeLinger, callsInProgress: opts.callsInProgress }) : undefined;
    this.#hintedWrites = opts.hintedWrites ?? true;
  }

  /** Group commit's figures (group-commit.ts); undefined when it is off. */
  get groupStats(): GroupCommitter['stats'] | undefined {
    return this.#group?.stats;
  }

  /** When group commit's short groups wait for company; undefined when group commit is off. */
  get writeLinger(): BatchLinger | undefined {
    return this.#group?.linger;
  }

  get batcher(): LookupBatcher {
    return this.#batcher;
  }

  /** The lookup batcher that reads files' blocks with them (getBlockLocations). */
  get blockBatcher(): LookupBatcher {
    return this.#blockBatcher;
  }

  #resolve(path: HdfsPath, known?: readonly (number | undefined)[]): Promise<Resolution> {
    const rows = this.#rows;
    if (!rows) return resolvePath(path, this.#cache, (keys) => this.#batcher.rows(keys), known);
    return resolvePath(path, this.#cache, async (keys) =>
      alignedRows(keys, await rows.cache.lookup(keys, (missed) => rows.batcher.lookup(missed), (peeked) => this.#batcher.lookup(peeked))),
    );
  }

  /**
   * A write's resolution: its lock round trip reads every row again and
   * validates it. Without a coherent cache, a path whose ancestors (and,
   * for a write with declared reads, `needTarget`, its target) the hint
   * cache knows is not read at all before the transaction (hinted-path.ts):
   * the lock round trip is its first. With one, its misses are read
   * unlocked, in one round trip, and not kept.
   */
  async #resolveForWrite(path: HdfsPath, needTarget: boolean): Promise<WriteResolution> {
    const rows = this.#rows;
    if (!rows) {
      if (!this.#hintedWrites) return this.#resolve(path);
      const hints = await pathHints(path, this.#cache, needTarget);
      const hinted = hintedFrom(path, hints, needTarget);
      if (!hinted) return this.#resolve(path, hints);
      this.stats.hintedWrites++;
      return hinted;
    }
    return resolvePath(path, this.#cache, async (keys) => alignedRows(keys, await rows.cache.lookupForWrite(keys, (missed) => this.#batcher.lookup(missed))));
  }

  /** #resolve, with the block rows of the files the lookups found when no coherent cache serves the rows. */
  // Not async: one reaction on the resolution, and one on each lookup (getBlockLocations' every call passes here).
  #resolveWithBlocks(path: HdfsPath): Promise<ResolutionWithBlocks> {
    if (this.#rows) return this.#resolve(path).then((resolution) => ({ resolution, files: new Map() }));
    const files = new Map<number, FileBlockRowSet>();
    const lookup = (keys: readonly InodeKey[]) =>
      this.#blockBatcher.lookupWithFiles(keys).then((answer) => {
        for (const row of answer.rows) {
          const f = row && answer.files.get(row.id);
          if (f) files.set(row.id, f);
        }
        return answer.rows;
      });
    return resolvePath(path, this.#cache, lookup).then((resolution) => ({ resolution, files }));
  }

  // Not async: the retry loop's promise is the answer (an async wrapper would add two microtask turns per read).
  read<T>(op: string, fn: (r: ReadContext) => Promise<T>): Promise<T> {
    const db = this.#db;
    const ctx: ReadContext = {
      dal: this.#dal,
      resolve: (path) => this.#resolve(path),
      resolveWithBlocks: (path) => this.#resolveWithBlocks(path),
      run: (q) => db.run(q),
      runAll: (qs) => db.runAll(qs),
    };
    return this.#withRetry(op, () => fn(ctx));
  }

  /**
   * `specs` may depend on whether the call runs exact (WriteContext.exact):
   * an operation that sends guarded statements asks for the locks its exact
   * path needs once one of them failed.
   */
  async write<T>(
    op: string,
    specsFor: readonly LockSpec[] | ((exact: boolean) => readonly LockSpec[]),
    execute: (locked: LockedPath[], tx: WriteContext) => Promise<T>,
    opts: WriteOptions = {},
  ): Promise<T> {
    const once = { retryKey: opts.retryKey };
    let exact = false;
    return this.#withRetry(op, async () => {
      const specs = typeof specsFor === 'function' ? specsFor(exact) : specsFor;
      for (const s of specs) refuseWriteInSnapshot(s.path);
      const resolutions = await Promise.all(specs.map((s) => this.#resolveForWrite(s.path, opts.reads !== undefined)));
      try {
        return await this.#answeredOnce(op, once, (retryKey) => {
          // One shape of options whichever the caller gave (their loads stay monomorphic).
          const keyed: WriteOptions = { retryKey, ownedSubtreeRoot: opts.ownedSubtreeRoot, reads: opts.reads };
          const alone = () => this.#db.transaction((tx) => this.#attempt(op, tx, specs, resolutions, execute, keyed, exact));
          if (!this.#group || exact || !GROUPED_OPS.has(op)) return alone();
          return this.#group.submit({ op, specs, resolutions, execute, opts: keyed, alone }) as Promise<T>;
        });
      } catch (e) {
        // A guard that refused, or a key taken by a concurrent create into an unlocked directory:
        // run again exact, where the locks make the answer the exception HDFS gives.
        const cls = classifyDbError(e);
        if (!exact && (cls === 'guard' || cls === 'duplicate' || e instanceof RunExact)) {
          exact = true;
          throw new StaleResolution(`${op}: ${e instanceof RunExact ? e.reason : cls} on the optimistic path`);
        }
        if (e instanceof StaleResolution) {
          for (const s of specs) this.#forget(s.path);
          this.#rows?.cache.forget(resolutions.flatMap(resolvedRows));
        }
        throw e;
      }
    });
  }

  /**
   * A write on one inode known by id (block operations name a block, not a
   * path): the inode row is locked exclusively and handed over, or
   * undefined when it no longer exists.
   */
  async writeInode<T>(
    op: string,
    inodeId: number,
    execute: (inode: InodeRow | undefined, tx: WriteContext) => Promise<T>,
    opts: InodeWriteOptions = {},
  ): Promise<T> {
    const safeMode = opts.refuseInSafeMode ? [this.#dal.namespace.findSafeMode('shared')] : [];
    const once = { retryKey: opts.retryKey };
    return this.#withRetry(op, () =>
      this.#answeredOnce(op, once, (retryKey) =>
        this.#db.transaction(async (tx) => {
          const now = Date.now();
          // The root's row (the safe mode) first, as every path write locks it: the global lock order.
          const results = await this.#claimingRoundTrip(tx, retryKey, now, [...safeMode, this.#dal.inodes.findByIdBatched([inodeId], 'exclusive')]);
          if (safeMode.length > 0) refuseInSafeMode(results[0] as number | null, `${op} of inode ${inodeId}`);
          const inode = (results[safeMode.length] as InodeRow[])[0];
          let paths: Promise<readonly LockedPath[]> | undefined;
          const pathOf = (id: number) => (paths ??= this.#pathOfInode(tx, id));
          const { ctx, commit } = this.#writeContext(tx, true, now, undefined, inode ? () => pathOf(inode.id) : [], safeMode.length > 0);
          const result = await execute(inode, ctx);
          // The copy-on-write seam is told the newest snapshot above, as for a path write, once the row changes.
          if (inode && ctx.changes.rewritesRows) ctx.changes.coverSnapshot(await this.#snapshotAbove(tx, await pathOf(inode.id)));
          this.#recordAnswer(ctx, retryKey, result);
          await commit();
          return result;
        }),
      ),
    );
  }

  /** A transaction that locks what its queries lock, for work queues that are not paths. */
  async transaction<T>(op: string, execute: (tx: WriteContext) => Promise<T>): Promise<T> {
    return this.#withRetry(op, () =>
      this.#db.transaction(async (tx) => {
        const { ctx, commit } = this.#writeContext(tx, true);
        const result = await execute(ctx);
        await commit();
        return result;
      }),
    );
  }

  /** Unlocked reads outside any transaction (housekeeping scans, datanode lookups), retried when transient. */
  query<T>(op: string, query: Query<T>): Promise<T> {
    return this.#withRetry(op, () => this.#db.run(query));
  }

  queryAll<const Q extends readonly Query<unknown>[]>(op: string, queries: Q): Promise<QueryResults<Q>> {
    return this.#withRetry(op, () => this.#db.runAll(queries));
  }

  /** `query` and `queryAll` as a QueryRunner, for helpers shared with transactions (loadFileBlocks). */
  autocommitReads(op: string): QueryRunner {
    return { dal: this.#dal, run: (q) => this.query(op, q), runAll: (qs) => this.queryAll(op, qs) };
  }

  /** Idempotent autocommit writes in one round trip (heartbeats, lease renewal); answers the rows each one changed. */
  mutate(op: string, mutations: readonly Mutation[]): Promise<number[]> {
    if (mutations.length === 0) return Promise.resolve([]);
    const rows = this.#rows;
    const tokens = rows ? invalidatedBy(mutations) : [];
    if (!rows || tokens.length === 0) return this.#withRetry(op, () => this.#db.mutate(mutations));
    // Rows a coherent cache may hold: changed in a transaction that keeps them locked until the fleet forgot them.
    return this.#withRetry(op, () =>
      this.#db.transaction(async (tx) => {
        const affected = await tx.mutate(mutations);
        await rows.cache.invalidate(tokens);
        await tx.commit([]);
        return affected;
      }),
    );
  }

  /**
   * One attempt of a call that may carry an at-most-once key: when an
   * earlier attempt of the same call committed, its recorded answer. An id
   * that holds another call's entry makes this one run again as a new,
   * unrecorded call (`once.retryKey` is dropped for the later attempts).
   */
  async #answeredOnce<T>(op: string, once: { retryKey: RetryKey | undefined }, attempt: (retryKey: RetryKey | undefined) => Promise<T>): Promise<T> {
    const { retryKey } = once;
    try {
      return await attempt(retryKey);
    } catch (e) {
      if (!(e instanceof AlreadyAnswered) || !retryKey) throw e;
      const cached = await this.#cachedAnswer<T>(retryKey);
      if (cached) return cached.answer;
      this.#logger.warn({ op, callId: retryKey.callId, user: retryKey.user }, 'retry cache entry belongs to another call: running as new');
      once.retryKey = undefined;
      throw new StaleResolution(`call ${op}`);
    }
  }

  /** The transaction's first round trip, claiming the call's retry-cache row first when it has a key; the queries' results. */
  async #claimingRoundTrip(tx: DbTransaction, retryKey: RetryKey | undefined, now: number, queries: readonly Query<unknown>[]): Promise<unknown[]> {
    const claim: Query<unknown>[] = retryKey ? [this.#claim(retryKey, now)] : [];
    try {
      return (await tx.runAll([...claim, ...queries])).slice(claim.length);
    } catch (e) {
      if (retryKey && classifyDbError(e) === 'duplicate') throw new AlreadyAnswered();
      throw e;
    }
  }

  #claim(retryKey: RetryKey, now: number): Query<unknown> {
    return this.#dal.retryCache.claim(retryKey, now + this.#retryCacheExpiryMs);
  }

  /**
   * Records the call's answer with the transaction's writes, for its
   * retries: on the row its claim made, or (`claimed` false: a group
   * commit's member) on a row of its own.
   */
  #recordAnswer(ctx: WriteContext, retryKey: RetryKey | undefined, answer: unknown, claimed = true): void {
    if (!retryKey) return;
    const recorded = JSON.stringify({ user: retryKey.user, answer: answer ?? null } satisfies RecordedAnswer);
    const expiresAt = ctx.now + this.#retryCacheExpiryMs;
    ctx.changes.add(claimed ? this.#dal.retryCache.recordResponse(retryKey, recorded, expiresAt) : this.#dal.retryCache.record(retryKey, recorded, expiresAt));
  }

  /**
   * The committed answer of an earlier attempt of this call; if it vanished
   * (rolled back), run again. Undefined when the entry is another call's:
   * another method, or another user (a client id is no secret).
   */
  async #cachedAnswer<T>(key: RetryKey): Promise<{ answer: T } | undefined> {
    const entry = await this.#db.run(this.#dal.retryCache.findEntry(key));
    if (entry?.response === undefined) throw new StaleResolution(`retry of call ${key.callId}`);
    return this.#answerOf<T>(key, entry.method, entry.response);
  }

  /**
   * The committed answer of this call, if an earlier attempt of it finished
   * (a call made of several transactions, a subtree operation, asks before
   * it starts: its last transaction records the answer); undefined otherwise.
   */
  async recordedAnswer<T>(key: RetryKey): Promise<{ answer: T } | undefined> {
    const entry = await this.query('retryCache', this.#dal.retryCache.findEntry(key));
    return entry?.response === undefined ? undefined : this.#answerOf<T>(key, entry.method, entry.response);
  }

  /**
   * The newest snapshot above an inode locked by id: its snapshottable
   * ancestors are share-locked and read again, so a createSnapshot there
   * waits for this transaction (as it waits for a path write) and none
   * committed meanwhile goes unseen. Nothing more when there are none.
   */
  async #snapshotAbove(tx: DbTransaction, paths: readonly LockedPath[]): Promise<number> {
    const roots = paths.flatMap((p) => p.rows.filter((r) => isSnapshottable(r)).map((r) => r.id));
    if (roots.length === 0) return 0;
    const locked = await tx.run(this.#dal.inodes.findByIdBatched([...new Set(roots)].sort((a, b) => a - b), 'shared'));
    return Math.max(0, ...locked.map((r) => r.latestSnapshot ?? 0));
  }

  /** The path of an inode locked by id, rebuilt from its parent chain in the same transaction (for its change-log events). */
  async #pathOfInode(tx: DbTransaction, inodeId: number): Promise<readonly LockedPath[]> {
    const lp = lockedPathOfAncestry(await tx.run(this.#dal.inodes.findAncestryById(inodeId, MAX_PATH_DEPTH)));
    return lp ? [lp] : [];
  }

  #answerOf<T>(key: RetryKey, method: string, response: string): { answer: T } | undefined {
    const recorded = JSON.parse(response) as RecordedAnswer;
    if (method !== key.method || recorded.user !== key.user) return undefined;
    this.stats.retryCacheHits++;
    this.#logger.debug({ method: key.method, callId: key.callId }, 'answered from the retry cache');
    return { answer: recorded.answer as T };
  }

  #writeContext(
    tx: DbTransaction,
    exact: boolean,
    now = Date.now(),
    prefetched = new PrefetchedReads([], []),
    locked: readonly LockedPath[] | (() => Promise<readonly LockedPath[]>) = [],
    fenced = false,
  ): { ctx: WriteContext; commit: () => Promise<void> } {
    const { ctx, hooks } = this.#context(tx, exact, now, prefetched);
    const commit = async () => {
      const changeRows = await this.#changeRows(ctx.changes, locked, now);
      await this.#commit(tx, [...ctx.changes.mutations(), ...changeRows], fenced);
      for (const hook of hooks) hook();
    };
    return { ctx, commit };
  }

  #context(tx: DbTransaction, exact: boolean, now: number, prefetched: PrefetchedReads): { ctx: WriteContext; hooks: (() => void)[] } {
    const hooks: (() => void)[] = [];
    const ctx: WriteContext = {
      dal: this.#dal,
      changes: new ChangeSet(this.#dal.inodes, this.#dal.inodeVersions),
      now,
      exact,
      run: (q) => prefetched.run(tx, q),
      runAll: (qs) => prefetched.runAll(tx, qs),
      onCommit: (fn) => hooks.push(fn),
    };
    return { ctx, hooks };
  }

  async #changeRows(changes: ChangeSet, locked: readonly LockedPath[] | (() => Promise<readonly LockedPath[]>), now: number): Promise<Mutation[]> {
    if (!this.#changeLog || !changes.hasInodeChanges) return [];
    return this.#changeLog.mutationsFor(changes, typeof locked === 'function' ? await locked() : locked, now);
  }

  /** `fenced`: the transaction locked the root's row (the safe mode) in its first round trip (row-cache.ts commitWrite). */
  async #commit(tx: DbTransaction, changes: readonly Mutation[], fenced: boolean): Promise<void> {
    // Rows of one shape (a group's inodes, leases, change-log events, answers) in one statement each.
    const writes = coalesceMutations(changes);
    const tokens = this.#rows ? invalidatedBy(writes) : [];
    if (tokens.length > 0 && this.#rows) {
      // The fleet forgets the changed rows before anyone can read the new ones (namenode/cache/README.md).
      await this.#rows.cache.commitWrite(tokens, fenced, { write: () => tx.write(writes), commit: () => tx.commit([]), writeAndCommit: () => this.#writeAndCommit(tx, writes, tokens) });
    } else {
      await tx.commit(writes);
    }
    this.stats.transactions++;
  }

  /**
   * Writes and COMMIT in one round trip, with the rows the writes changed
   * (those named by id: directories touched, files completed, entries
   * renamed) read back before COMMIT under the transaction's own exclusive
   * locks, for the coherent cache to keep instead of reading them again.
   */
  async #writeAndCommit(tx: DbTransaction, writes: readonly Mutation[], tokens: readonly string[]): Promise<readonly InodeRow[] | undefined> {
    const ids = idsOfTokens(tokens);
    if (ids.length === 0 || ids.length > MAX_WRITER_READ_BACK) {
      await tx.commit(writes);
      return ids.length === 0 ? [] : undefined;
    }
    return tx.commitReading(writes, this.#dal.inodes.findByIdBatched(ids.sort((a, b) => a - b), 'exclusive'));
  }

  /** Tells the ChangeSet which snapshot its pre-images are for (namenode/snapshot/README.md). */
  async #coverSnapshots(ctx: WriteContext, locked: readonly LockedPath[]): Promise<void> {
    const above = newestSnapshotAbove(locked);
    ctx.changes.coverSnapshot(above);
    // Under a directory moved out of a snapshotted tree: one more read, only there.
    const held = heldSnapshotBelow(locked, above);
    if (held > 0 && (await ctx.run(this.#dal.snapshots.findAllSnapshotIds())).some((x) => x.snapshotId === held && !x.deleted)) ctx.changes.coverSnapshot(held);
  }

  /** A single write's phases, for group commit to run several writes in one transaction. */
  #groupHost(): GroupHost {
    return {
      transaction: (work) => this.#db.transaction(work),
      lockReads: (specs, resolutions) => this.#lockReads(specs, resolutions),
      lockedPaths: (specs, resolutions, rows, opts) => this.#lockedPaths(specs, resolutions, rows, opts),
      memberContext: (tx, now, prefetched) => this.#context(tx, false, now, prefetched),
      coverSnapshots: (ctx, locked) => this.#coverSnapshots(ctx, locked),
      recordAnswer: (ctx, retryKey, answer) => this.#recordAnswer(ctx, retryKey, answer, false),
      recordedAnswer: (retryKey) => this.recordedAnswer(retryKey),
      changeRows: (changes, locked, now) => this.#changeRows(changes, locked, now),
      commit: (tx, writes) => this.#commit(tx, writes, true),
    };
  }

  /**
   * The locking reads of the lock round trip, in the global order, in one
   * statement: each lock group (the root's row, with the safe mode, first)
   * in the plan's order, then the re-read of missing keys (unlocked, last,
   * after every lock).
   */
  #lockReads(specs: readonly LockSpec[], resolutions: readonly WriteResolution[]): LockReads {
    const { groups, missing } = planLocks(specs, resolutions);
    const ordered = missing.length > 0 ? [...groups, { keys: missing, mode: 'none' as const }] : groups;
    return {
      queries: [this.#dal.inodes.findSafeModeAndLockedBatched(ordered)],
      head: (results) => results[0] as { safeModeEnteredAt: number | null; rows: InodeRow[] },
    };
  }

  #lockedPaths(specs: readonly LockSpec[], resolutions: readonly WriteResolution[], rows: readonly InodeRow[] | RowsByKey, opts: WriteOptions): LockedPath[] {
    const locked = validateLocks(specs, resolutions, rows);
    specs.forEach((s, i) => checkNoLink(s.path, (locked[i] as LockedPath).rows, s.followLink ?? true));
    for (const l of locked) refuseLockedSubtree(l.path.text, l.rows, this.#membership, opts.ownedSubtreeRoot);
    return locked;
  }

  async #attempt<T>(
    op: string,
    tx: DbTransaction,
    specs: readonly LockSpec[],
    resolutions: readonly WriteResolution[],
    execute: (locked: LockedPath[], tx: WriteContext) => Promise<T>,
    opts: WriteOptions,
    exact: boolean,
  ): Promise<T> {
    const { retryKey } = opts;
    const now = Date.now();
    const lock = this.#lockReads(specs, resolutions);
    const declared = opts.reads?.(resolutions.map(writeTarget), now) ?? [];
    const results = await this.#claimingRoundTrip(tx, retryKey, now, [...lock.queries, ...declared]);
    const head = lock.head(results);
    refuseInSafeMode(head.safeModeEnteredAt, `${op} ${specs.map((s) => s.path.text).join(' to ')}`);
    const locked = this.#lockedPaths(specs, resolutions, head.rows, opts);
    const { ctx, commit } = this.#writeContext(tx, exact, now, new PrefetchedReads(declared, results.slice(lock.queries.length)), locked, true);
    await this.#coverSnapshots(ctx, locked);
    const result = await execute(locked, ctx);
    this.#recordAnswer(ctx, retryKey, result);
    await commit();
    return result;
  }

  #forget(path: HdfsPath): void {
    this.#cache.invalidate(Array.from({ length: path.components.length }, (_, i) => prefixText(path, i + 1)));
  }

  /** Drops the hints for a path and everything cached beneath it is then unreachable. */
  forgetPath(path: HdfsPath): void {
    this.#cache.invalidate([path.text]);
  }

  rememberPath(path: HdfsPath, row: InodeRow): void {
    this.#cache.set(path.text, row.id, isDirectory(row));
  }

  async #withRetry<T>(op: string, attempt: () => Promise<T>): Promise<T> {
    // Every operation passes here: its debug line (an object, a clock read, a number format) only when it is printed.
    const debug = this.#logger.isLevelEnabled('debug');
    const started = debug ? performance.now() : 0;
    for (let i = 0; ; i++) {
      try {
        const result = await attempt();
        if (debug) this.#logger.debug({ op, attempts: i + 1, ms: +(performance.now() - started).toFixed(2) }, 'op');
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
          // The database's own text stays in the log above: clients see no SQL.
          if (retriable) throw new NamesystemError('TransientStorage', `${op}: the metadata database is busy; gave up after ${i + 1} attempts, try again`);
          throw e;
        }
        this.stats.retries++;
        if (cls === 'stale') this.stats.staleResolutions++;
        await sleep(cls === 'stale' && i === 0 ? 0 : backoffDelayMs(this.#retry, i));
      }
    }
  }
}
