import type { Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { int64ToNumber } from '../../protocol/long-values';
import { ReplicaAlreadyExistsError, ReplicaNotFoundError, type ReplicaKey, type ReplicaWriter } from '../store/block-store';
import { ChecksumMismatchError, receiveBlock } from './block-receiver';
import { ChecksumType, DEFAULT_CHECKSUM, toChecksumType, type ChecksumSpec } from '../../protocol/datatransfer/checksum';
import { setUpMirror, type Mirror, type MirrorSetup } from './mirror';
import { sendResponse } from './responses';
import type { StreamReader } from '../../protocol/datatransfer/stream-reader';
import type { TransferContext } from './transfer-context';
import { ProtocolError } from '../../protocol/datatransfer/wire-errors';
import { MAX_PACKET_PAYLOAD } from '../../protocol/datatransfer/packet-codec';
import { checkTargets } from './target-check';
import { blockAccessAllowed } from './block-token-check';
import { findReplica } from '../store/find-replica';

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
  let mirrorSetup: Promise<MirrorSetup> | undefined;
  try {
    await checkTargets(ctx, op.targets);
    // The rest of the pipeline is set up while this node creates its replica's files, so a
    // pipeline's setup waits for one node's file creation rather than one per node in turn.
    mirrorSetup = op.targets.length > 0 ? setUpMirror(ctx, op, sendsResponses) : undefined;
    writer = await openWriter(ctx, op, requested);
  } catch (err) {
    void mirrorSetup?.then((setup) => setup.ok && setup.mirror.socket.destroy());
    const status = err instanceof ReplicaAlreadyExistsError ? Status.ERROR_EXISTS : Status.ERROR;
    if (isClient) await sendResponse(socket, { status, message: err instanceof Error ? err.message : String(err) });
    // Packets may follow a refused op: they must not be read as the next op.
    socket.end();
    return;
  }
  ctx.events.receiving(writer.info());

  let mirror: Mirror | undefined;
  try {
    if (mirrorSetup) {
      const setup = await mirrorSetup;
      if (!setup.ok) {
        ctx.logger.warn({ blockId, firstBadLink: setup.firstBadLink, reason: setup.message }, 'pipeline mirror failed');
        if (sendsResponses) await sendResponse(socket, { status: Status.ERROR, firstBadLink: setup.firstBadLink, message: setup.message }).catch(() => undefined);
        await writer.release();
        return;
      }
      mirror = setup.mirror;
    }
    if (sendsResponses) await sendResponse(socket, { status: Status.SUCCESS, firstBadLink: '' });
  } catch (err) {
    // The client left before its op response (a reset): nobody writes this replica now; keep what is stored.
    mirror?.socket.destroy();
    await writer.release().catch(() => undefined);
    throw err;
  }

  const finalizeAtEnd = op.stage !== Stage.TRANSFER_RBW;
  // A client's write: what the pipeline acknowledged is what readers may see;
  // bytes carried over from an earlier generation (append, recovery) were.
  const stamp = writer.info().generationStamp;
  const track = sendsResponses ? ctx.acked : undefined;
  track?.acked(blockId, stamp, writer.info().numBytes);
  // Every packet acknowledged by the mirror, nothing owed either way: its connection may carry the next block.
  let mirrorReusable = false;
  try {
    await receiveBlock({
      upstream: socket,
      reader,
      writer,
      mirror,
      requested,
      sendsAcks: sendsResponses,
      finalizeAtEnd,
      onAcked: (end) => track?.acked(blockId, stamp, end),
      onFinalized: (info) => ctx.events.received(info),
    });
    if (isTransfer) await sendResponse(socket, { status: Status.SUCCESS });
    // A pipeline's sender may send its next op on this connection (Hadoop's DataXceiver serves
    // several); a transfer or replication stream ends here.
    if (sendsResponses) mirrorReusable = true;
    else socket.end();
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
    track?.forget(blockId, stamp);
    if (mirror && mirrorReusable && ctx.mirrors) ctx.mirrors.give(mirror);
    else mirror?.socket.destroy();
  }
}

function requestedChecksum(proto: hadoop.hdfs.IChecksumProto): ChecksumSpec {
  const bytesPerChecksum = proto.bytesPerChecksum || DEFAULT_CHECKSUM.bytesPerChecksum;
  // A chunk never spans packets, so no chunk is longer than the biggest packet.
  if (bytesPerChecksum > MAX_PACKET_PAYLOAD) throw new ProtocolError(`bytesPerChecksum ${bytesPerChecksum}`);
  if (proto.type === ChecksumType.NULL) return { type: ChecksumType.NULL, bytesPerChecksum };
  return { type: toChecksumType(proto.type ?? ChecksumType.CRC32C), bytesPerChecksum };
}

async function openWriter(ctx: TransferContext, op: hadoop.hdfs.OpWriteBlockProto, requested: ChecksumSpec): Promise<ReplicaWriter> {
  const block = op.header.baseHeader.block;
  const blockId = int64ToNumber(block.blockId);
  const blockGs = int64ToNumber(block.generationStamp);
  const latestGs = int64ToNumber(op.latestGenerationStamp);
  const minBytes = int64ToNumber(op.minBytesRcvd);
  const maxBytes = int64ToNumber(op.maxBytesRcvd);
  // A stored replica needs checksums: with NULL requested, keep the default.
  const stored = requested.type === ChecksumType.NULL ? DEFAULT_CHECKSUM : requested;
  switch (op.stage) {
    case Stage.PIPELINE_SETUP_CREATE:
      // Hadoop: a client's pipeline createRbw; a datanode's replication (no client name) createTemporary.
      return op.header.clientName !== '' ? ctx.store.createRbw(blockId, blockGs, stored) : ctx.store.createTemporary(blockId, blockGs, stored);
    case Stage.TRANSFER_RBW:
    case Stage.TRANSFER_FINALIZED:
      return ctx.store.createTemporary(blockId, blockGs, stored);
    case Stage.PIPELINE_SETUP_APPEND:
      // A block another gateway of a shared store wrote (its writer's gateway gone): found in the store first.
      await findReplica(ctx.store, blockId, blockGs, minBytes);
      // The Go client appends under the block's own stamp; 0 means none given.
      return ctx.store.openNewGeneration({ blockId, generationStamp: blockGs }, { kind: 'append', generationStamp: latestGs === 0 ? blockGs : latestGs, length: minBytes });
    case Stage.PIPELINE_SETUP_STREAMING_RECOVERY:
      return ctx.store.openNewGeneration(heldReplica(ctx, blockId), { kind: 'streamingRecovery', generationStamp: latestGs, writerStamp: blockGs, minBytes, maxBytes });
    case Stage.PIPELINE_SETUP_APPEND_RECOVERY:
      return ctx.store.openNewGeneration(heldReplica(ctx, blockId), { kind: 'appendRecovery', generationStamp: latestGs, writerStamp: blockGs, length: minBytes });
    case Stage.PIPELINE_CLOSE_RECOVERY:
      return ctx.store.openNewGeneration(heldReplica(ctx, blockId), { kind: 'closeRecovery', generationStamp: latestGs, writerStamp: blockGs, length: minBytes });
    default:
      throw new ProtocolError(`write stage ${Stage[op.stage] ?? op.stage} is not a setup stage`);
  }
}

/**
 * The generation a recovery continues: whichever one this datanode holds
 * (it may have been bumped by an earlier attempt); the store checks it
 * against the writer's stamps.
 */
function heldReplica(ctx: TransferContext, blockId: number): ReplicaKey {
  const held = ctx.store.get(blockId);
  if (!held) throw new ReplicaNotFoundError(blockId);
  return held;
}
