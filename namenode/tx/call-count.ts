/**
 * What group commit and the lookup flights read of the client calls a namenode serves
 * (group-commit.ts); the IPC front door keeps it (namenode/ipc/calls-in-progress.ts).
 */
export interface CallCount {
  /** Calls received and not yet answered. */
  readonly count: number;
  /**
   * The most calls served at once lately (this second or the last): how
   * many callers there are, as far as the namenode can see. Lookup waits
   * (flight-queue.ts) read it: once that many are in a batch or in flight,
   * no other can come.
   */
  readonly recentPeak: number;
  /** `listener` runs after each call is answered. */
  onEnd(listener: () => void): void;
}
