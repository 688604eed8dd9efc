/** df: the fleet's capacity and the block manager's queue sizes. */
export interface FsStats {
  /** Only for reports and tests: the front doors' df has no field for it. */
  readonly liveDatanodes: number;
  readonly capacity: number;
  readonly used: number;
  readonly remaining: number;
  readonly underReplicated: number;
  readonly corruptBlocks: number;
  readonly missingBlocks: number;
  readonly missingReplOneBlocks: number;
  readonly blocksInFuture: number;
  readonly pendingDeletionBlocks: number;
}
