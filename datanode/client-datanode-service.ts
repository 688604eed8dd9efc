import { hadoop } from '../protocol/generated/hadoop';
import { ExceptionClass } from '../protocol/ipc/exception-classes';
import { protoHandler, type ErrorMapper, type RpcHandler } from '../protocol/ipc/rpc-handler';
import { int64ToNumber } from '../protocol/long-values';
import type { BlockStore } from './store/block-store';
import type { AckedLengths } from './transfer/acked-lengths';

const H = hadoop.hdfs;

/** Hadoop's protocol name for ClientDatanodeProtocolPB (version 1). */
export const CLIENT_DATANODE_PROTOCOL = 'org.apache.hadoop.hdfs.protocol.ClientDatanodeProtocol';

/** Hadoop's class for a block this datanode holds no replica of (an IOException). */
const REPLICA_NOT_FOUND = 'org.apache.hadoop.hdfs.server.datanode.ReplicaNotFoundException';

class ReplicaNotHeldError extends Error {}

/**
 * ClientDatanodeProtocol on the datanode's IPC port: what a client asks a
 * datanode directly. A client opening a file whose last block is still being
 * written asks one of its datanodes how many bytes of it are readable
 * (DFSInputStream.readBlockLength); without an answer it fails with
 * CannotObtainBlockLengthException. As HDFS's bytesAcked: while a client
 * writes, the bytes the whole pipeline acknowledged; otherwise what the
 * store holds with valid checksums.
 */
export function clientDatanodeHandlers(store: BlockStore, acked: AckedLengths): Record<string, RpcHandler> {
  return {
    getReplicaVisibleLength: protoHandler(H.GetReplicaVisibleLengthRequestProto, H.GetReplicaVisibleLengthResponseProto, async (_ctx, req) => {
      const blockId = int64ToNumber(req.block.blockId);
      const stamp = int64ToNumber(req.block.generationStamp);
      const replica = store.get(blockId);
      const named = `${req.block.poolId}:blk_${blockId}_${stamp}`;
      if (!replica) throw new ReplicaNotHeldError(`Replica not found for ${named}`);
      // As HDFS: an older generation than the client knows is no answer; a newer one (recovered since) is.
      if (replica.generationStamp < stamp) {
        throw new Error(`replica.getGenerationStamp() < block.getGenerationStamp(), block=${named}, replica=blk_${blockId}_${replica.generationStamp}`);
      }
      const acknowledged = replica.state === 'rbw' ? acked.get(blockId, replica.generationStamp) : undefined;
      return { length: acknowledged === undefined ? replica.numBytes : Math.min(acknowledged, replica.numBytes) };
    }),
  };
}

/** A missing replica is ReplicaNotFoundException; anything else an IOException, as HDFS's datanode answers. */
export const clientDatanodeErrors: ErrorMapper = (err) => ({
  className: err instanceof ReplicaNotHeldError ? REPLICA_NOT_FOUND : ExceptionClass.IO,
  message: err instanceof Error ? err.message : String(err),
});
