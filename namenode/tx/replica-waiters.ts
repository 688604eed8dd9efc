/** Blocks remembered as having a copy reported here: far more than are written at once. */
const MAX_COPIED = 1 << 16;
/** A datanode that sent an incremental report this recently reports here (its reporter namenode changes only on failover). */
const REPORTER_FRESH_MS = 30_000;
/**
 * The longest a complete's first try waits, once one copy of its block is
 * in, for the pipeline's other copies: they finalize together, and a
 * datanode that is slow to report should not hold up the close for long.
 */
const OTHER_COPIES_WAIT_MS = 50;

/** A finalized copy of a block that a report committed here, and the datanode that holds it. */
export interface ReportedCopy {
  readonly blockId: number;
  readonly uuid: string;
}

/** What ended a waiter's sleep. */
export type WakeReason = 'report' | 'notice' | 'poll';

/** How complete/addBlock waiters of this namenode were woken (on /metrics). */
export class ReplicaWaitStats {
  /** By a report this namenode took. */
  wokenByReport = 0;
  /** By another namenode's "replica arrived" notice (namenode/cache/replica-notices.ts). */
  wokenByNotice = 0;
  /** By their poll interval running out: the locking transaction re-run on a timer. */
  pollTimeouts = 0;
  /** Backoff sleeps of attempts that named no file to watch (they failed before). */
  backoffSleeps = 0;
  /** complete's first tries held back until a copy of the block they need was reported here (pipelineCopies)… */
  firstCopyWaits = 0;
  /** …of which the copy did not come in time. */
  firstCopyTimeouts = 0;
  /** complete's first tries held back, with a copy in, for the pipeline's other copies reported here… */
  otherCopiesWaits = 0;
  /** …of which some did not come within OTHER_COPIES_WAIT_MS (the block then goes to the replication monitor). */
  otherCopiesTimeouts = 0;

  count(reason: WakeReason): void {
    if (reason === 'report') this.wokenByReport++;
    else if (reason === 'notice') this.wokenByNotice++;
    else this.pollTimeouts++;
  }
}

/**
 * `complete` and `addBlock` calls on this namenode waiting for a file's
 * replicas to be reported, keyed by the file's inode id. The incremental
 * report handler of this namenode wakes them as soon as its transaction
 * commits, so a waiter re-runs its locking transaction once per report that
 * concerns it rather than on a timer. Reports another namenode receives
 * reach here as that namenode's "replica arrived" notice through Redis
 * (`noticed`) when the fleet has one (`tellFleet` wires the other way);
 * without, or when a notice is lost, those waiters fall back to their
 * bounded poll (replicaReportPollMs).
 */
export class ReplicaWaiters {
  readonly #byInode = new Map<number, Set<ReplicaWatch>>();
  readonly stats = new ReplicaWaitStats();
  #fleet: ((inodeIds: readonly number[]) => void) | undefined;
  /** The datanodes a report committed here a finalized copy from, by block (the newest blocks, bounded). */
  readonly #copied = new Map<number, Set<string>>();
  /** pipelineCopies calls waiting, by block id: each is told of every copy of its block. */
  readonly #byBlock = new Map<number, Set<() => void>>();
  /** When each datanode's last incremental report came to this namenode. */
  readonly #reporters = new Map<string, number>();

  /**
   * Starts watching a file. Call it inside the transaction that found the
   * replicas missing: a report for the file locks the file too, so it
   * commits (and notifies, here and through the fleet) only after the watch
   * exists — none is missed.
   */
  watch(inodeId: number): ReplicaWatch {
    const watch = new ReplicaWatch(
      () => this.#forget(inodeId, watch),
      (reason) => this.stats.count(reason),
    );
    let set = this.#byInode.get(inodeId);
    if (!set) this.#byInode.set(inodeId, (set = new Set()));
    set.add(watch);
    return watch;
  }

  /** Where reports this namenode commits are passed on to the other namenodes. */
  tellFleet(publish: (inodeIds: readonly number[]) => void): void {
    this.#fleet = publish;
  }

  /**
   * A report about these files committed on this namenode: wake whoever
   * waits on them, here and in the fleet. `copied`: the finalized copies
   * it recorded, each with the datanode that holds it.
   */
  notify(inodeIds: Iterable<number>, copied: Iterable<ReportedCopy> = []): void {
    for (const { blockId, uuid } of copied) {
      let from = this.#copied.get(blockId);
      if (!from) {
        this.#copied.set(blockId, (from = new Set()));
        if (this.#copied.size > MAX_COPIED) this.#copied.delete(this.#copied.keys().next().value as number);
      }
      from.add(uuid);
      for (const told of this.#byBlock.get(blockId) ?? []) told();
    }
    const ids = [...inodeIds];
    this.#wake(ids, 'report');
    this.#fleet?.(ids);
  }

  /** A datanode sent this namenode an incremental report. */
  reportFrom(uuid: string, now = Date.now()): void {
    this.#reporters.set(uuid, now);
  }

  /**
   * Before the first try of a complete that needs a copy of `blockId` (its
   * last block): waits until every datanode of the block's pipeline that
   * reports to this namenode has had its finalized copy reported here —
   * at most `ms` for the first copy, then at most OTHER_COPIES_WAIT_MS for
   * the others. Each copy is reported the moment its datanode finalizes
   * it, before the writer's last ack, so they are usually on their way.
   * The try then finds the copy instead of answering "not yet" and running
   * again; and it finds every copy, so the closed block is whole and does
   * not go to the replication queue only for the monitor to find it whole
   * later (HDFS counts such copies as pending instead:
   * BlockManager.addExpectedReplicasToPending). No wait when no datanode
   * of the pipeline reports here (their reports go to another namenode).
   */
  async pipelineCopies(blockId: number, pipeline: readonly string[], ms: number, now = Date.now()): Promise<void> {
    const expected = pipeline.filter((uuid) => now - (this.#reporters.get(uuid) ?? -Infinity) < REPORTER_FRESH_MS);
    const missing = (): number => {
      const from = this.#copied.get(blockId);
      return from ? expected.filter((uuid) => !from.has(uuid)).length : expected.length;
    };
    if (missing() === 0) return;
    const anyIn = (): boolean => this.#copied.has(blockId);
    const othersMs = Math.min(ms, OTHER_COPIES_WAIT_MS);
    let awaitingFirst = !anyIn();
    if (awaitingFirst) this.stats.firstCopyWaits++;
    else this.stats.otherCopiesWaits++;
    let waits = this.#byBlock.get(blockId);
    if (!waits) this.#byBlock.set(blockId, (waits = new Set()));
    const mine = waits;
    let told: () => void = () => undefined;
    const whole = await new Promise<boolean>((resolve) => {
      let timer = setTimeout(() => resolve(false), awaitingFirst ? ms : othersMs);
      told = () => {
        if (missing() === 0) {
          clearTimeout(timer);
          resolve(true);
        } else if (awaitingFirst) {
          // The first copy came: the others get a shorter wait of their own.
          awaitingFirst = false;
          this.stats.otherCopiesWaits++;
          clearTimeout(timer);
          timer = setTimeout(() => resolve(false), othersMs);
        }
      };
      mine.add(told);
    });
    mine.delete(told);
    if (mine.size === 0 && this.#byBlock.get(blockId) === mine) this.#byBlock.delete(blockId);
    if (whole) return;
    if (anyIn()) this.stats.otherCopiesTimeouts++;
    else this.stats.firstCopyTimeouts++;
  }

  /** Another namenode committed a report about these files. */
  noticed(inodeIds: Iterable<number>): void {
    this.#wake(inodeIds, 'notice');
  }

  #wake(inodeIds: Iterable<number>, reason: WakeReason): void {
    for (const id of inodeIds) for (const w of this.#byInode.get(id) ?? []) w.signal(reason);
  }

  /** Files with a waiter (for tests and metrics). */
  get size(): number {
    return this.#byInode.size;
  }

  /** Waiters asleep until a report (or their poll), as opposed to running a try. */
  get sleeping(): number {
    let n = 0;
    for (const set of this.#byInode.values()) for (const w of set) if (w.sleeping) n++;
    return n;
  }

  #forget(inodeId: number, watch: ReplicaWatch): void {
    const set = this.#byInode.get(inodeId);
    set?.delete(watch);
    if (set?.size === 0) this.#byInode.delete(inodeId);
  }
}

/** One waiter's interest in one file; signals that arrive between waits are kept. */
export class ReplicaWatch {
  #signalled: WakeReason | undefined;
  #wake: ((reason: WakeReason) => void) | undefined;
  readonly #counted: (reason: WakeReason) => void;

  constructor(
    readonly close: () => void,
    counted: (reason: WakeReason) => void = () => undefined,
  ) {
    this.#counted = counted;
  }

  get sleeping(): boolean {
    return this.#wake !== undefined;
  }

  signal(reason: WakeReason = 'report'): void {
    if (this.#wake) this.#wake(reason);
    else this.#signalled ??= reason;
  }

  /** Resolves at the next report about the file (at once if one came since the last wait), or after `ms`; says which. */
  wait(ms: number): Promise<WakeReason> {
    const kept = this.#signalled;
    if (kept) {
      this.#signalled = undefined;
      this.#counted(kept);
      return Promise.resolve(kept);
    }
    return new Promise((resolve) => {
      const done = (reason: WakeReason): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        this.#signalled = undefined;
        this.#counted(reason);
        resolve(reason);
      };
      const timer = setTimeout(() => done('poll'), ms);
      this.#wake = done;
    });
  }
}
