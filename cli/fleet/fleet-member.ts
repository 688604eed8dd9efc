/** How a process ended: an exit code, or the signal that killed it. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Something `nnfleet up` started and must stop: MariaDB, a namenode, later haproxy and datanodes. */
export interface FleetMember {
  readonly name: string;
  readonly pid: number;
  /** Settles when the process ends; absent when the member cannot tell. */
  readonly exited?: Promise<ExitStatus>;
  /** Where its output goes, to quote when it fails. */
  readonly logPath?: string;
  /** Stops it and waits until it is gone. Idempotent. */
  stop(): Promise<void>;
}

export function describeExit(status: ExitStatus): string {
  return status.signal ? `killed by ${status.signal}` : `exit code ${status.code}`;
}
