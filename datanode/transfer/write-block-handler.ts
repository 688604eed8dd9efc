import type { Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { int64ToNumber } from '../../protocol/long-values';
import { ReplicaAlreadyExistsError, ReplicaNotFoundError, type ReplicaKey, type ReplicaWriter } from '../store/block-store';
import { ChecksumMismatchError, receiveBlock } from './block-receiver';
import { ChecksumType, DEFAULT_CHECKSUM, toChecksumType, type ChecksumSpec } from '../../protocol/datatransfer/checksum';
import { setUpMirror, type Mirror } from './mirror';
import { sendResponse } from './responses';
import type { StreamReader } from '../../protocol/datatransfer/stream-reader';
import type { TransferContext } from './transfer-context';
import { blockAccessAllowed } from './block-token-check';

const { Status } = hadoop.hdfs;
const Stage = hadoop.hdfs.OpWriteBlockProto.BlockConstructionStage;

/**
 * WRITE_BLOCK. Who is writing decides the conversation, as in Hadoop:
 * a client (clientName set) gets an op response and per-packet acks; a
 * datanode replicating a block (clientName empty) gets neither; a
 * TRANSFER_RBW/TRANSFER_FINALIZED stream gets no acks, only a close-ack.
 */
export async function handleWriteBlock(ctx: TransferContext, socket: Socket, reader: StreamReader): Promise<void> {
  const op = await reader.message(hadoop.hdfs.OpWriteBlockProto);
  if (!(await blockAccessAllowed(ctx, socket, op.header.baseHeader, 'WRITE', op.header.clientName !== ''))) return;
  const block = op.header.baseHeader.block;
  const blockId = int64ToNumber(block.blockId);
  const isClient = op.header.clientName !== '';
  const isTransfer = op.stage === Stage.TRANSFER_RBW || op.stage === Stage.TRANSFER_FINALIZED;
  const sendsResponses = isClient && !isTransfer;
  const requested = requestedChecksum(op.requestedChecksum);

  let writer: ReplicaWriter;
  try {
    writer = await openWriter(ctx, op, requested);
  } catch (err) {
    const status = err instanceof ReplicaAlreadyExistsError ? Status.ERROR_EXISTS : Status.ERROR;
    if (isClient) await sendResponse(socket, { status, message: err instanceof Error ? err.message : String(err) });
    return;
  }
  ctx.events.receiving(writer.info());

  let mirror: Mirror | undefined;
  if (op.targets.length > 0) {
    const setup = await setUpMirror(ctx, op, sendsResponses);
    if (!setup.ok) {
      ctx.logger.warn({ blockId, firstBadLink: setup.firstBadLink, reason: setup.message }, 'pipeline mirror failed');
      if (sendsResponses) await sendResponse(socket, { status: Status.ERROR, firstBadLink: setup.firstBadLink, message: setup.message });
      await writer.release();
      return;
    }
    mirror = setup.mirror;
  }
  if (sendsResponses) await sendResponse(socket, { status: Status.SUCCESS, firstBadLink: '' });

  const finalizeAtEnd = op.stage !== Stage.TRANSFER_RBW;
  try {
    const info = await receiveBlock({ upstream: socket, reader, writer, mirror, requested, sendsAcks: sendsResponses, finalizeAtEnd });
    if (info.state === 'finalized') ctx.events.received(info);
    if (isTransfer) await sendResponse(socket, { status: Status.SUCCESS });
    socket.end();
  } catch (err) {
    if (err instanceof ChecksumMismatchError) {
      // Never keep data that failed its checksum: drop the whole replica.
      const info = writer.info();
      await writer.abort();
      ctx.events.deleted(info);
    } else {
      // The writer may come back with a recovery stage; keep what is stored.
      await writer.release().catch(() => undefined);
    }
    throw err;
  } finally {
    mirror?.socket.destroy();
  }
}

function requestedChecksum(proto: hadoop.hdfs.IChecksumProto): ChecksumSpec {
  if (proto.type === ChecksumType.NULL) return { type: ChecksumType.NULL, bytesPerChecksum: proto.bytesPerChecksum ?? DEFAULT_CHECKSUM.bytesPerChecksum };
  return { type: toChecksumType(proto.type ?? ChecksumType.CRC32C), bytesPerChecksum: proto.bytesPerChecksum || DEFAULT_CHECKSUM.bytesPerChecksum };
}

async function openWriter(ctx: TransferContext, op: hadoop.hdfs.OpWriteBlockProto, requested: ChecksumSpec): Promise<ReplicaWriter> {
  const block = op.header.baseHeader.block;
  const blockId = int64ToNumber(block.blockId);
  const blockGs = int64ToNumber(block.generationStamp);
  const latestGs = int64ToNumber(op.latestGenerationStamp);
  // The Go client sends 0 when creating; appends and recoveries carry the new stamp.
  const newGs = Math.max(blockGs, latestGs);
  const minBytes = int64ToNumber(op.minBytesRcvd);
  switch (op.stage) {
    case Stage.PIPELINE_SETUP_CREATE:
    case Stage.TRANSFER_RBW:
    case Stage.TRANSFER_FINALIZED:
      // A stored replica needs checksums: with NULL requested, keep the default.
      return ctx.store.createRbw(blockId, blockGs, requested.type === ChecksumType.NULL ? DEFAULT_CHECKSUM : requested);
    case Stage.PIPELINE_SETUP_APPEND:
      return ctx.store.openNewGeneration(heldReplica(ctx, blockId), { kind: 'append', generationStamp: newGs, length: minBytes });
    case Stage.PIPELINE_SETUP_APPEND_RECOVERY:
    case Stage.PIPELINE_SETUP_STREAMING_RECOVERY:
      return ctx.store.openNewGeneration(heldReplica(ctx, blockId), { kind: 'recovery', generationStamp: newGs, minBytes, maxBytes: int64ToNumber(op.maxBytesRcvd) });
    case Stage.PIPELINE_CLOSE_RECOVERY:
      return ctx.store.openNewGeneration(heldReplica(ctx, blockId), { kind: 'recovery', generationStamp: newGs, minBytes, maxBytes: Number.MAX_SAFE_INTEGER });
    default:
      throw new Error(`write stage ${Stage[op.stage] ?? op.stage} is not a setup stage`);
  }
}

/**
 * The generation an append or recovery continues: whichever one this
 * datanode holds. The store refuses it when it is newer than the writer's
 * stamp; an older one (a replica that missed a recovery) is continued, as
 * it always has been here.
 */
function heldReplica(ctx: TransferContext, blockId: number): ReplicaKey {
  const held = ctx.store.get(blockId);
  if (!held) throw new ReplicaNotFoundError(blockId);
  return held;
}
