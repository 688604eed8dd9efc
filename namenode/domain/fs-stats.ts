/** df's answer (getStats): capacity over live datanodes and the block manager's queue sizes. */
export interface FsStats {
  /** Live datanodes (not in the proto; for reports). */
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
