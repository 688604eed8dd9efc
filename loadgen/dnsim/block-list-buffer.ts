import { Writer } from 'protobufjs/minimal';

/** HdfsServerConstants.ReplicaState.FINALIZED. */
const FINALIZED = 0;

export interface SimBlock {
  readonly blockId: number;
  readonly genStamp: number;
  readonly numBytes: number;
}

/**
 * A storage's finalized replicas in BlockListAsLongs' buffer encoding, as a
 * Hadoop 2.7+ datanode sends them (StorageBlockReportProto.blocksBuffers
 * with numberOfBlocks): per block `blockId` zig-zag, then `numBytes
 * genStamp replicaState` as plain varints.
 */
export function encodeBlockBuffer(blocks: readonly SimBlock[]): Uint8Array {
  const w = Writer.create();
  for (const b of blocks) w.sint64(b.blockId).uint64(b.numBytes).uint64(b.genStamp).uint64(FINALIZED);
  return w.finish();
}
