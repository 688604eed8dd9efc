import Long from 'long';
import type { ReplicaInfo } from '../store/block-store';

/** Hadoop's ReplicaState values (HdfsServer.proto ReplicaStateProto). */
export const REPLICA_STATE_FINALIZED = 0;
export const REPLICA_STATE_RBW = 1;

const DELIMITER = Long.MAX_UNSIGNED_VALUE;

/**
 * A storage's replicas in Hadoop's BlockListAsLongs "longs" encoding, for
 * StorageBlockReportProto.blocks (repeated uint64, packed). numberOfBlocks
 * and blocksBuffers are left unset, which is how a namenode tells this
 * encoding from the buffer one.
 *
 * ```
 * [0]  number of finalized replicas F
 * [1]  number of under-construction replicas U
 * F x  (blockId, numBytes, generationStamp)
 * 1 x  (-1, -1, -1)                        delimiter, as uint64 0xFFFFFFFFFFFFFFFF
 * U x  (blockId, numBytes, generationStamp, replicaState)   state 1 = RBW
 * ```
 */
export function encodeBlockListAsLongs(replicas: readonly ReplicaInfo[]): Long[] {
  const finalized = replicas.filter((r) => r.state === 'finalized');
  const building = replicas.filter((r) => r.state !== 'finalized');
  const longs: Long[] = [Long.fromNumber(finalized.length, true), Long.fromNumber(building.length, true)];
  for (const r of finalized) longs.push(...triple(r));
  longs.push(DELIMITER, DELIMITER, DELIMITER);
  for (const r of building) longs.push(...triple(r), Long.fromNumber(REPLICA_STATE_RBW, true));
  return longs;
}

function triple(r: ReplicaInfo): Long[] {
  return [Long.fromNumber(r.blockId, true), Long.fromNumber(r.numBytes, true), Long.fromNumber(r.generationStamp, true)];
}
