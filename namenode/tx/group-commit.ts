import { classifyDbError } from '../dal/db-errors';
import type { DbTransaction } from '../dal/db-session';
import type { InodeRow } from '../dal/inode-row';
import type { Mutation, Query } from '../dal/query';
import { QueryTable } from '../dal/query-table';
import type { RetryKey } from '../domain/retry-key';
import { NamesystemError } from '../errors';
import { footprintOf, partitionApart } from './group-batches';
import type { LockedPath, LockSpec } from './lock-plan';
import { writeTarget, type WriteResolution } from './hinted-path';
import { BatchLinger, LingerWait, NO_LINGER, type LingerSettings } from './batch-linger';
import type { CallCount } from './call-count';
import { PrefetchedReads } from './prefetched-reads';
import { RowsByKey } from './rows-by-key';
import { refuseInSafeMode } from './safe-mode';
import { RunExact } from './run-exact';
import { StaleResolution } from './stale-resolution';
import type { ChangeSet } from './change-set';
import type { WriteContext, WriteOptions } from './tx-contexts';

/** One path write waiting for its group. */
export interface GroupMember {
  readonly op: string;
  readonly specs: readonly LockSpec[];
  readonly resolutions: readonly WriteResolution[];
  readonly execute: (locked: LockedPath[], tx: WriteContext) => Promise<unknown>;
  readonly opts: WriteOptions;
  /** The member in a transaction of its own, as without group commit. */
  readonly alone: () => Promise<unknown>;
}

/** The lock round trip's reads for a set of paths (TransactionRunner's), and the rows they returned. */
export interface LockReads {
  readonly queries: readonly Query<unknown>[];
  head(results: readonly unknown[]): { safeModeEnteredAt: number | null; rows: InodeRow[] };
}

/** What a group needs of the TransactionRunner: its single-write phases, one by one. */
export interface GroupHost {
  transaction<T>(work: (tx: DbTransaction) => Promise<T>): Promise<T>;
  lockReads(specs: readonly LockSpec[], resolutions: readonly WriteResolution[]): LockReads;
  /** The locking reads' rows checked against the member's resolutions (StaleResolution), links and subtree locks (NamesystemError). */
  lockedPaths(specs: readonly LockSpec[], resolutions: readonly WriteResolution[], rows: readonly InodeRow[] | RowsByKey, opts: WriteOptions): LockedPath[];
  memberContext(tx: DbTransaction, now: number, prefetched: PrefetchedReads): { ctx: WriteContext; hooks: (() => void)[] };
  /** The snapshots the member's pre-images are kept for. */
  coverSnapshots(ctx: WriteContext, locked: readonly LockedPath[]): Promise<void>;
  /** The member's answer on a retry-cache row of its own (nothing claimed it first; see GroupCommitter). */
  recordAnswer(ctx: WriteContext, retryKey: RetryKey | undefined, answer: unknown): void;
  /** The committed answer of an earlier attempt of this call, if its row is there. */
  recordedAnswer(retryKey: RetryKey): Promise<{ answer: unknown } | undefined>;
  changeRows(changes: ChangeSet, locked: readonly LockedPath[], now: number): Promise<Mutation[]>;
  /** Sends the writes with COMMIT, the cache invalidation of their rows between. */
  commit(tx: DbTransaction, writes: readonly Mutation[]): Promise<void>;
}

export interface GroupStats {
  /** Transactions that committed more than one member. */
  groups: number;
  /** Members those transactions carried. */
  grouped: number;
  /** Groups rolled back and run one by one (a database error in one of them). */
  fallbacks: number;
  /** Groups rolled back by a transient error (deadlock, lock wait timeout) and run again as a group. */
  retries: number;
}

interface Pending extends GroupMember {
  resolve(value: unknown): void;
  reject(e: unknown): void;
}

type Outcome =
  | { readonly m: Pending; readonly ok: true; readonly result: unknown; readonly ctx: WriteContext; readonly locked: LockedPath[]; readonly hooks: (() => void)[] }
  | { readonly m: Pending; readonly ok: false; readonly error: unknown };

const DEFAULT_MAX_MEMBERS = 64;

/**
 * Tries of a group's transaction before its members run one by one. Most
 * groups rolled back are deadlock victims (two groups in flight creating
 * one missing directory: each share-locked its parent, one inserted the
 * key, then touched the parent while the other waited for the key). The
 * other group has committed by the time the victim hears of it, so a
 * second try as a group usually succeeds, at the cost of one transaction
 * instead of one per member.
 */
const GROUP_ATTEMPTS = 2;

export interface GroupCommitOptions {
  /** Most members one transaction carries. */
  readonly maxMembers?: number;
  /** Flushes at the database at once (GROUP_FLUSHES_IN_FLIGHT). */
  readonly maxInFlight?: number;
  /** When a short group waits for company (none by default). */
  readonly linger?: LingerSettings;
  /** The client calls the namenode is serving; without them a group never waits. */
  readonly callsInProgress?: CallCount;
}

/**
 * Flushes (each a group's transaction, or several in turn) at the database
 * at once; members arriving meanwhile wait and form the next group, as
 * lookups wait for a flight (LookupBatcher). Before writes skipped their
 * resolution read (hinted-path.ts), the lookup flight gathered them: its
 * answer let a whole batch of creates reach here in one tick. Arriving one
 * by one instead, they formed small groups. Measured
 * (`profile-main.js --phases create:6,mkdirs:6,spotify:8 --threads 32`,
 * two rounds, no limit / 1 / 2): create 930, 1,277 / 1,498, 1,766 /
 * 1,566, 1,818 ops/s at 915, 629 / 468, 355 / 461, 390 µs of namenode CPU
 * and 4.9 / 2.3 / 3.0 statements per op; mkdirs 3,375, 4,000 / 3,850,
 * 5,411 / 5,039, 5,132 ops/s. Two rather than one: a group stuck behind a
 * lock that a lone write holds leaves one flight for the rest.
 */
export const GROUP_FLUSHES_IN_FLIGHT = 2;

/**
 * The fewest members a flight's share of a long queue carries (as many as
 * writeLingerBatch's default): a queue of at least twice this many goes
 * in every free flight at once, evenly, not as one group. Taken whole, the
 * writes of many clients made one group at a time: 128 threads of creates
 * split into two cohorts of 64 that took turns, one in its transaction
 * (13.9 ms: 3.1 to lock, 8.1 to write and commit on one MariaDB thread)
 * while the other was on its way back, and no flush ever started beside
 * another one; a third of the two cores stayed idle (bench/README.md,
 * *Long queues in every free flight*).
 */
export const MIN_SHARED_GROUP = 16;

/**
 * Cross-request group commit (the write side of LookupBatcher): path
 * writes that arrive in the same tick, or while GROUP_FLUSHES_IN_FLIGHT
 * flushes are at the database, join one queue, flushed with setImmediate;
 * members whose paths are apart (group-batches.ts) share one transaction:
 *
 * 1. one round trip locks the union of their rows in the global order
 *    (planLocks over all specs), with their declared reads;
 * 2. each member, in arrival order, is validated and executed in memory
 *    with its own WriteContext (its own ChangeSet, so its own snapshot
 *    copy-on-write and change-log txid, hence its own change-log position);
 *    one that fails at the namesystem level (exists, permission, stale
 *    resolution…) contributes nothing;
 * 3. one round trip sends every member's rows, then their counters, then
 *    their touches (ChangeSet's order, across the group), then every
 *    member's retry-cache row with its answer and change-log rows, with
 *    COMMIT; the coherent cache forgets the union of the rows first.
 *
 * At most once without claims: a member's retry-cache row is INSERTed
 * with its answer in step 3, not claimed in step 1 and updated in step 3
 * as a call alone does (TransactionRunner). A row of the same call already
 * there, committed by an earlier attempt or being written by a concurrent
 * one, fails the group's COMMIT round trip with a duplicate key, and every
 * member runs alone: the retried one claims first, so it waits for the
 * other attempt and answers from its row. A member that carries a retry
 * key and fails in memory may be a retry whose first attempt already
 * changed what it checks (a create of the file it made): after the group,
 * one read of its row gives that attempt's answer, or, without a row, the
 * failure stands (#answerRefused). A lone call with a retry key runs this
 * way too, as a group of one. What this spares a call is the claim's row
 * insert in step 1 and the upsert of its answer over it in step 3
 * (bench/README.md, stop 50).
 *
 * Any database error (deadlock, lock wait timeout, duplicate key, a guard
 * that refused) rolls the group back, and every member runs alone, as it
 * would have without group commit, one after the other in arrival order:
 * a failing member never fails another.
 *
 * With a `linger` (writeLingerBatch, writeLingerMs), a group shorter than
 * its minBatch first waits for company, at most maxMs, but only while the
 * namenode serves client calls other than the writes queued or in flight
 * here (`callsInProgress`): a write among reads (the Spotify mix: 1 call in
 * 12 or so is a write, nearly all of them alone) then shares its
 * transaction with the next few, which saves the database and the namenode
 * most of a transaction each; clients that only write are all in the queue
 * already, and a wait would only make them a convoy. The wait ends when
 * the group fills, when no other call is left, or at maxMs; waits that
 * find no company stop for a while (batch-linger.ts, paidAt 2). Measured
 * in bench/README.md, *Writes among reads wait for company*.
 */
export class GroupCommitter {
  readonly #host: GroupHost;
  readonly #max: number;
  #queue: Pending[] = [];
  #scheduled = false;
  #inFlight = 0;
  readonly #maxInFlight: number;
  /** When a short group waits for company before it goes (writeLinger*, batch-linger.ts). */
  readonly linger: BatchLinger;
  readonly #wait: LingerWait;
  readonly #calls: CallCount | undefined;
  #membersInFlight = 0;
  readonly stats: GroupStats = { groups: 0, grouped: 0, fallbacks: 0, retries: 0 };

  constructor(host: GroupHost, opts: GroupCommitOptions = {}) {
    this.#host = host;
    this.#max = opts.maxMembers ?? DEFAULT_MAX_MEMBERS;
    this.#maxInFlight = opts.maxInFlight ?? GROUP_FLUSHES_IN_FLIGHT;
    this.linger = new BatchLinger(opts.linger ?? NO_LINGER);
    this.#wait = new LingerWait(this.linger, () => this.#queue.length, () => this.#due(true));
    this.#calls = opts.callsInProgress;
    // A waiting group goes once no caller but the ones in it or in flight is being served.
    this.#calls?.onEnd(() => {
      if (this.#wait.active && !this.#othersServed()) this.#wait.cutShort();
    });
  }

  submit(member: GroupMember): Promise<unknown> {
    return new Promise((resolve, reject) => {
      // Every member in one shape, whoever built it (their loads in a group stay monomorphic).
      const { op, specs, resolutions, execute, opts, alone } = member;
      this.#queue.push({ op, specs, resolutions, execute, opts, alone, resolve, reject });
      if (!this.#wait.active) this.#schedule();
      else if (!this.#wait.offer() && !this.#othersServed()) this.#wait.cutShort();
    });
  }

  /**
   * Whether the namenode is serving client calls that are neither queued
   * here nor in a flight: only those (or new arrivals) can join a waiting
   * group. When every call is a write waiting here, as with a few clients
   * that only write, a wait only delays them all (a convoy: 2 clients
   * creating files, 325 → 67 creates/s with a 10 ms wait).
   */
  #othersServed(): boolean {
    const calls = this.#calls;
    return calls !== undefined && calls.count > this.#queue.length + this.#membersInFlight;
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => this.#due(false));
  }

  /** The scheduled flush: a short group may wait for company first, once (as FlightQueue's batches do). */
  #due(waited: boolean): void {
    if (!waited && this.linger.shouldWait(this.#queue.length) && this.#othersServed()) {
      this.#wait.begin();
      return;
    }
    this.#scheduled = false;
    this.#flushShares();
  }

  /** The queue in every free flight: evenly when each share holds MIN_SHARED_GROUP members or more, else whole. */
  #flushShares(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.#maxInFlight) {
      const parts = Math.min(this.#maxInFlight - this.#inFlight, Math.floor(this.#queue.length / MIN_SHARED_GROUP));
      const take = parts >= 2 ? Math.ceil(this.#queue.length / parts) : this.#queue.length;
      void this.#flush(this.#queue.splice(0, take));
    }
  }

  async #flush(pending: Pending[]): Promise<void> {
    this.#inFlight++;
    this.#membersInFlight += pending.length;
    try {
      // Batches with overlapping paths run one after the other, so the later member sees the earlier one's commit.
      for (const batch of partitionApart(pending, (m) => footprintOf(m.specs, m.resolutions), this.#max)) await this.#run(batch);
    } finally {
      this.#inFlight--;
      this.#membersInFlight -= pending.length;
      this.#schedule();
    }
  }

  async #run(batch: readonly Pending[]): Promise<void> {
    // A lone call with a retry key still runs as a group of one: it claims nothing first (see the class comment).
    if (batch.length === 1 && !batch[0]?.opts.retryKey) return settle(batch[0] as Pending);
    let outcomes: Outcome[] | undefined;
    for (let attempt = 1; outcomes === undefined; attempt++) {
      try {
        outcomes = await this.#host.transaction((tx) => this.#together(tx, batch));
      } catch (e) {
        // A deadlock (or lock wait timeout) rolled the group back: once, it runs again as a group.
        if (attempt < GROUP_ATTEMPTS && classifyDbError(e) === 'transient') {
          this.stats.retries++;
          continue;
        }
        this.stats.fallbacks++;
        for (const m of batch) await settle(m);
        return;
      }
    }
    if (batch.length > 1) {
      this.stats.groups++;
      this.stats.grouped += batch.length;
    }
    const refused: Extract<Outcome, { ok: false }>[] = [];
    for (const o of outcomes) {
      if (!o.ok) {
        if (o.m.opts.retryKey && o.error instanceof NamesystemError) refused.push(o);
        else o.m.reject(o.error);
        continue;
      }
      for (const hook of o.hooks) hook();
      o.m.resolve(o.result);
    }
    await Promise.all(refused.map((o) => this.#answerRefused(o.m, o.error)));
  }

  /**
   * A member with a retry key that failed in memory may be a retry whose
   * first attempt committed what made it fail (a create of the file that
   * attempt made): that attempt's answer, when its row is there, else the
   * failure. The row is read after this group's lock round trip, which
   * waited for any attempt holding the member's paths, so a first attempt
   * whose change the member saw has committed its row too.
   */
  async #answerRefused(m: Pending, error: unknown): Promise<void> {
    try {
      const recorded = m.opts.retryKey && (await this.#host.recordedAnswer(m.opts.retryKey));
      if (recorded) m.resolve(recorded.answer);
      else m.reject(error);
    } catch (e) {
      m.reject(e);
    }
  }

  async #together(tx: DbTransaction, batch: readonly Pending[]): Promise<Outcome[]> {
    const host = this.#host;
    const now = Date.now();
    const lock = host.lockReads(
      batch.flatMap((m) => m.specs),
      batch.flatMap((m) => m.resolutions),
    );
    const declared = batch.map((m) => m.opts.reads?.(m.resolutions.map(writeTarget), now) ?? []);
    const reads = groupReads(declared.flat());
    const results = await tx.runAll([...lock.queries, ...reads.queries]);
    const head = lock.head(results);
    refuseInSafeMode(head.safeModeEnteredAt, `${batch.length} grouped writes`);
    const readResults = results.slice(lock.queries.length);
    // Indexed once for the whole group: every member validates its paths against the same rows.
    const locked = new RowsByKey(head.rows);
    let offset = 0;
    const outcomes: Outcome[] = [];
    for (const [i, m] of batch.entries()) {
      const mine = declared[i] ?? [];
      const prefetched = new PrefetchedReads(mine, reads.answers.slice(offset, offset + mine.length).map((answer) => answer(readResults)));
      offset += mine.length;
      outcomes.push(await this.#execute(tx, m, locked, now, prefetched));
    }
    await host.commit(tx, await this.#writes(outcomes, now));
    return outcomes;
  }

  async #execute(tx: DbTransaction, m: Pending, rows: RowsByKey, now: number, prefetched: PrefetchedReads): Promise<Outcome> {
    const host = this.#host;
    try {
      const locked = host.lockedPaths(m.specs, m.resolutions, rows, m.opts);
      const { ctx, hooks } = host.memberContext(tx, now, prefetched);
      await host.coverSnapshots(ctx, locked);
      const result = await m.execute(locked, ctx);
      host.recordAnswer(ctx, m.opts.retryKey, result);
      return { m, ok: true, result, ctx, locked, hooks };
    } catch (e) {
      // Its own failure: the others go on. Anything else (the database's) fails the group.
      if (e instanceof NamesystemError || e instanceof StaleResolution || e instanceof RunExact) return { m, ok: false, error: e };
      throw e;
    }
  }

  async #writes(outcomes: readonly Outcome[], now: number): Promise<Mutation[]> {
    const rows: Mutation[] = [];
    const counters: Mutation[] = [];
    const touches: Mutation[] = [];
    const changeRows: Mutation[] = [];
    for (const o of outcomes) {
      if (!o.ok) continue;
      const parts = o.ctx.changes.mutationParts();
      rows.push(...parts.rows);
      counters.push(...parts.counters);
      touches.push(...parts.touches);
      changeRows.push(...(await this.#host.changeRows(o.ctx.changes, o.locked, now)));
    }
    return [...rows, ...counters, ...touches, ...changeRows];
  }
}

/**
 * The members' declared reads in as few statements as they allow: the
 * same statement sent once (every addBlock of a group reads the same live
 * storages), and reads of one shape for different ids (`batch`: each
 * complete's file block rows) joined in one statement. `answers[i]` gives
 * the i-th read's result out of the sent queries' results.
 */
function groupReads(all: readonly Query<unknown>[]): { queries: Query<unknown>[]; answers: ((results: readonly unknown[]) => unknown)[] } {
  const queries: Query<unknown>[] = [];
  const sent = new QueryTable<number>();
  const batches = new Map<string, { ids: number[]; many: (ids: readonly number[]) => Query<(id: number) => unknown> }>();
  for (const q of all) {
    if (q.kind !== 'sql' || !q.batch) continue;
    const b = batches.get(q.batch.key);
    if (!b) batches.set(q.batch.key, { ids: [q.batch.id], many: q.batch.many });
    else if (!b.ids.includes(q.batch.id)) b.ids.push(q.batch.id);
  }
  const joined = new Map<string, number>();
  for (const [key, b] of batches) if (b.ids.length > 1) joined.set(key, queries.push(b.many(b.ids)) - 1);
  const answers = all.map((q) => {
    const at = q.kind === 'sql' && q.batch ? joined.get(q.batch.key) : undefined;
    if (at !== undefined && q.kind === 'sql' && q.batch) {
      const id = q.batch.id;
      return (results: readonly unknown[]) => (results[at] as (id: number) => unknown)(id);
    }
    const index = sent.keep(q, queries.length);
    if (index === queries.length) queries.push(q);
    return (results: readonly unknown[]) => results[index];
  });
  return { queries, answers };
}

async function settle(m: Pending): Promise<void> {
  try {
    m.resolve(await m.alone());
  } catch (e) {
    m.reject(e);
  }
}
