/**
 * `complete` and `addBlock` calls on this namenode waiting for a file's
 * replicas to be reported, keyed by the file's inode id. The incremental
 * report handler of this namenode wakes them as soon as its transaction
 * commits, so a waiter re-runs its locking transaction once per report that
 * concerns it rather than on a timer. Reports another namenode receives do
 * not come here: those waiters fall back to their bounded poll
 * (replicaReportPollMs); telling the fleet is the hint cache's notification
 * job, not this one's.
 */
export class ReplicaWaiters {
  readonly #byInode = new Map<number, Set<ReplicaWatch>>();

  /**
   * Starts watching a file. Call it inside the transaction that found the
   * replicas missing: a report for the file locks the file too, so it
   * commits (and notifies) only after the watch exists — none is missed.
   */
  watch(inodeId: number): ReplicaWatch {
    const watch = new ReplicaWatch(() => this.#forget(inodeId, watch));
    let set = this.#byInode.get(inodeId);
    if (!set) this.#byInode.set(inodeId, (set = new Set()));
    set.add(watch);
    return watch;
  }

  /** A report about these files committed: wake whoever waits on them. */
  notify(inodeIds: Iterable<number>): void {
    for (const id of inodeIds) for (const w of this.#byInode.get(id) ?? []) w.signal();
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
  #signalled = false;
  #wake: (() => void) | undefined;

  constructor(readonly close: () => void) {}

  get sleeping(): boolean {
    return this.#wake !== undefined;
  }

  signal(): void {
    this.#signalled = true;
    this.#wake?.();
  }

  /** Resolves at the next report about the file (at once if one came since the last wait), or after `ms`. */
  wait(ms: number): Promise<void> {
    if (this.#signalled) {
      this.#signalled = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        this.#signalled = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}
