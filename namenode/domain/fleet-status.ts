/** How many of each kind of object the namespace holds (Hadoop's FilesTotal counts files and directories together). */
export interface NamespaceTotals {
  readonly files: number;
  readonly directories: number;
  readonly symlinks: number;
  readonly blocks: number;
}

/** A namenode of the fleet as its heartbeat row says, on the database's clock. */
export interface NamenodeMember {
  readonly id: number;
  readonly rpcAddress: string;
  readonly httpAddress: string;
  /** How long since it first heartbeat (its uptime), ms. */
  readonly uptimeMs: number;
  /** How long since its last heartbeat, ms. */
  readonly heartbeatAgeMs: number;
}
