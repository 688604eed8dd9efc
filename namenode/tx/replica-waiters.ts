/** Blocks remembered as having a copy reported here: far more than are written at once. */
const MAX_COPIED = 1 << 16;
/** A datanode that sent an incremental report this recently reports here (its reporter namenode changes only on failover). */
const REPORTER_FRESH_MS = 30_000;

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
  /** complete's first tries held back until a copy of the block they need was reported here (firstCopy)… */
  firstCopyWaits = 0;
  /** …of which the copy did not come in time. */
  firstCopyTimeouts = 0;

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
  /** Blocks a finalized copy of which a report committed here (the newest, bounded). */
  readonly #copied = new Set<number>();
  /** firstCopy calls waiting, by block id. */
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
   * waits on them, here and in the fleet. `copied`: the blocks it recorded
   * a finalized copy of.
   */
  notify(inodeIds: Iterable<number>, copied: Iterable<number> = []): void {
    for (const blockId of copied) {
      this.#copied.add(blockId);
      if (this.#copied.size > MAX_COPIED) this.#copied.delete(this.#copied.values().next().value as number);
      const waits = this.#byBlock.get(blockId);
      this.#byBlock.delete(blockId);
      for (const wake of waits ?? []) wake();
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
   * Before the first try of a complete that needs a copy of `blockId`
   * (its last block): when a datanode of the block's
   * pipeline reports to this namenode and no finalized copy of the block
   * was reported here yet, waits until one is (at most `ms`), so that try
   * finds the copy instead of answering "not yet" and running again. The
   * copy is reported the moment the datanode finalizes it, before its ack
   * reaches the writer, so the report is usually already on its way.
   */
  async firstCopy(blockId: number, pipeline: readonly string[], ms: number, now = Date.now()): Promise<void> {
    if (this.#copied.has(blockId) || !pipeline.some((uuid) => now - (this.#reporters.get(uuid) ?? -Infinity) < REPORTER_FRESH_MS)) return;
    this.stats.firstCopyWaits++;
    let waits = this.#byBlock.get(blockId);
    if (!waits) this.#byBlock.set(blockId, (waits = new Set()));
    const mine = waits;
    let wake: () => void = () => undefined;
    const copied = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      mine.add(wake);
    });
    if (copied) return;
    this.stats.firstCopyTimeouts++;
    mine.delete(wake);
    if (mine.size === 0 && this.#byBlock.get(blockId) === mine) this.#byBlock.delete(blockId);
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
