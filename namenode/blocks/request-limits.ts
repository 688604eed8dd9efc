import { NamesystemError } from '../errors';

/**
 * The most entries one blockReceivedAndDeleted or reportBadBlocks call may
 * carry: a datanode reports every few seconds, so a legitimate one is far
 * smaller; the frame limit alone would let one call cost minutes of work.
 */
export const MAX_REPLICA_CHANGES = 100_000;
export const MAX_BAD_BLOCKS = 10_000;
/**
 * Datanodes a client may name as excluded, favoured or already in its
 * pipeline: twice dfs.replication.max; placement compares each candidate
 * against them.
 */
export const MAX_NAMED_DATANODES = 1024;

/** Refuses a repeated field longer than its bound before anything loops over it. */
export function checkCount(what: string, n: number, max: number): void {
  if (n > max) throw new NamesystemError('IllegalArgument', `${what}: ${n} entries, more than ${max} in one call`);
}
