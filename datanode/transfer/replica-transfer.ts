import Long from 'long';
import type { Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { ReplicaNotFoundError, type BlockStore, type ReplicaReader } from '../store/block-store';
import { sendPackets } from './block-sender';
import { encodeOpRequest, Op } from '../../protocol/datatransfer/op-codec';
import { connectTo, writeAll, xferAddress } from '../../protocol/datatransfer/socket-io';
import { StreamReader } from '../../protocol/datatransfer/stream-reader';

const { Status } = hadoop.hdfs;
const Stage = hadoop.hdfs.OpWriteBlockProto.BlockConstructionStage;

export interface ReplicaTransfer {
  poolId: string;
  blockId: number;
  /** targets[0] is dialled; the rest form its downstream pipeline. */
  targets: hadoop.hdfs.IDatanodeInfoProto[];
  targetStorageTypes?: hadoop.hdfs.StorageTypeProto[];
  targetStorageIds?: string[];
  /** Empty for namenode-ordered replication; the client's name for TRANSFER_BLOCK. */
  clientName: string;
  connectTimeoutMs: number;
  socketTimeoutMs: number;
  /** A WRITE token for the targets, signed by this datanode (Hadoop's DataNode.DataTransfer). */
  token?: hadoop.common.ITokenProto;
}

export class TransferFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransferFailedError';
  }
}

/**
 * Sends a local replica to other datanodes as a WRITE_BLOCK, the datanode
 * acting as the writer (Hadoop's DataNode.DataTransfer). Namenode-ordered
 * replication (no client name) uses PIPELINE_SETUP_CREATE and gets no
 * answer: it is done when the target closes. A client's TRANSFER_BLOCK uses
 * TRANSFER_FINALIZED/TRANSFER_RBW and waits for the target's close-ack.
 */
export async function transferReplica(store: BlockStore, t: ReplicaTransfer): Promise<void> {
  const held = store.get(t.blockId);
  if (!held) throw new ReplicaNotFoundError(t.blockId);
  const first = t.targets[0];
  if (!first?.id) throw new TransferFailedError(`no target for block ${t.blockId}`);
  // Opened first: what the op announces is exactly what is sent.
  const opened = await store.openReader(held);
  try {
    await sendReplica(opened, t, first.id);
  } finally {
    await opened.close();
  }
}

async function sendReplica(opened: ReplicaReader, t: ReplicaTransfer, target: hadoop.hdfs.IDatanodeIDProto): Promise<void> {
  const { host, port, address } = xferAddress(target);
  const replica = opened.info;
  const isClient = t.clientName !== '';
  const stage = !isClient ? Stage.PIPELINE_SETUP_CREATE : replica.state === 'finalized' ? Stage.TRANSFER_FINALIZED : Stage.TRANSFER_RBW;
  const op: hadoop.hdfs.IOpWriteBlockProto = {
    header: {
      baseHeader: {
        block: { poolId: t.poolId, blockId: Long.fromNumber(t.blockId, true), generationStamp: replica.generationStamp, numBytes: replica.numBytes },
        ...(t.token ? { token: t.token } : {}),
      },
      clientName: t.clientName,
    },
    targets: t.targets.slice(1),
    stage,
    pipelineSize: t.targets.length,
    minBytesRcvd: 0,
    maxBytesRcvd: 0,
    latestGenerationStamp: replica.generationStamp,
    requestedChecksum: { type: replica.checksum.type, bytesPerChecksum: replica.checksum.bytesPerChecksum },
    targetStorageTypes: t.targetStorageTypes?.slice(1) ?? [],
    targetStorageIds: t.targetStorageIds?.slice(1) ?? [],
    ...(t.targetStorageTypes?.[0] !== undefined ? { storageType: t.targetStorageTypes[0] } : {}),
    ...(t.targetStorageIds?.[0] !== undefined ? { storageId: t.targetStorageIds[0] } : {}),
  };

  const socket = await connectTo(host, port, t.connectTimeoutMs);
  socket.setTimeout(t.socketTimeoutMs, () => socket.destroy(new TransferFailedError(`transfer to ${address} timed out`)));
  const reader = new StreamReader(socket);
  try {
    await writeAll(socket, encodeOpRequest(Op.WRITE_BLOCK, hadoop.hdfs.OpWriteBlockProto.encode(op).finish()));
    await sendPackets(socket, opened, { start: 0, end: opened.info.numBytes, withChecksums: true });
    if (isClient) {
      const ack = await reader.message(hadoop.hdfs.DNTransferAckProto);
      if (ack.status !== Status.SUCCESS) throw new TransferFailedError(`${address} answered ${Status[ack.status]} to the transfer of block ${t.blockId}`);
    }
    socket.end();
    await waitClosed(socket);
  } finally {
    socket.destroy();
  }
}

function waitClosed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.closed) resolve();
    else socket.once('close', () => resolve());
  });
}
