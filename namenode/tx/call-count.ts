/**
 * What group commit reads of the client calls a namenode serves
 * (group-commit.ts); the IPC front door keeps it (namenode/ipc/calls-in-progress.ts).
 */
export interface CallCount {
  /** Calls received and not yet answered. */
  readonly count: number;
  /** `listener` runs after each call is answered. */
  onEnd(listener: () => void): void;
}
