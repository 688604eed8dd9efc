/** Names of the rows of the `counters` table. */
export const COUNTER_INODE_ID = 'inode_id';
export const COUNTER_BLOCK_ID = 'block_id';
export const COUNTER_GENERATION_STAMP = 'generation_stamp';
/** Made on first use by the first namenode to start (leader election's ids), so not in INITIAL_COUNTERS. */
export const COUNTER_NAMENODE_ID = 'namenode_id';
/** Global snapshot ids (v0012), made on first use by the first createSnapshot. */
export const COUNTER_SNAPSHOT_ID = 'snapshot_id';

/**
 * A fresh namespace's counters hold the LAST id used, so the first one handed
 * out is value + 1 — as Hadoop's reserved ranges are defined.
 */
export const INITIAL_COUNTERS: ReadonlyMap<string, number> = new Map([
  /** INodeId.ROOT_INODE_ID: the root takes it, the first file gets 16386. */
  [COUNTER_INODE_ID, 16385],
  /** SequentialBlockIdGenerator.LAST_RESERVED_BLOCK_ID = 2^30. */
  [COUNTER_BLOCK_ID, 2 ** 30],
  /** GenerationStamp.LAST_RESERVED_STAMP. */
  [COUNTER_GENERATION_STAMP, 1000],
]);
