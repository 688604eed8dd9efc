import type { Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { int64ToNumber } from '../../protocol/long-values';
import type { ReplicaInfo, ReplicaWriter } from '../store/block-store';
import { AckQueue } from './ack-queue';
import { ChecksumType, chunkCount, CHECKSUM_SIZE, computeChunkChecksums, findChecksumMismatch, type ChecksumSpec } from '../../protocol/datatransfer/checksum';
import type { Mirror } from './mirror';
import type { Packet } from '../../protocol/datatransfer/packet-codec';
import { encodePacket } from '../../protocol/datatransfer/packet-codec';
import { sendAck } from './responses';
import { writeAll } from '../../protocol/datatransfer/socket-io';
import type { StreamReader } from '../../protocol/datatransfer/stream-reader';
import { ProtocolError } from '../../protocol/datatransfer/wire-errors';

const { Status } = hadoop.hdfs;

export class ChecksumMismatchError extends Error {
  constructor(blockId: number, offset: number) {
    super(`checksum error in block ${blockId} near offset ${offset}`);
    this.name = 'ChecksumMismatchError';
  }
}

export interface ReceiveOptions {
  readonly upstream: Socket;
  readonly reader: StreamReader;
  readonly writer: ReplicaWriter;
  readonly mirror: Mirror | undefined;
  /** The checksum the sender computes packets with. */
  readonly requested: ChecksumSpec;
  /** Client writes get one PipelineAckProto per packet; datanode transfers get none. */
  readonly sendsAcks: boolean;
  readonly finalizeAtEnd: boolean;
  /** Called with the end offset of each packet acknowledged upstream with every node's SUCCESS. */
  readonly onAcked?: (end: number) => void;
}

interface AckEntry {
  seqno: number;
  status: hadoop.hdfs.Status;
  /** The packet's end offset in the block. */
  end: number;
}

/**
 * Receives packets until lastPacketInBlock: forwards each to the mirror,
 * verifies every chunk's checksum, appends to the replica, and (for client
 * writes) acknowledges each packet once the mirror has — the ack lists this
 * node's status followed by the downstream ones. Hadoop finalizes before
 * acknowledging the last packet, so a writer that saw its last ack may
 * complete the file.
 */
export async function receiveBlock(o: ReceiveOptions): Promise<ReplicaInfo> {
  const acks = new AckQueue<AckEntry>();
  const responder = o.sendsAcks ? respond(o, acks) : Promise.resolve();
  let mirrorBroken = false;
  try {
    for (;;) {
      const packet = await o.reader.packet();
      if (o.mirror && !mirrorBroken) {
        await writeAll(o.mirror.socket, encodePacket(packet)).catch(() => (mirrorBroken = true));
      }
      if (!(await storePacket(o, packet))) {
        acks.push({ seqno: packet.seqno, status: Status.ERROR_CHECKSUM, end: packet.offsetInBlock });
        acks.close();
        await responder.catch(() => undefined);
        throw new ChecksumMismatchError(o.writer.info().blockId, packet.offsetInBlock);
      }
      // hsync: durable before the ack says so (Hadoop's BlockReceiver flushOrSync).
      if (packet.syncBlock && !packet.lastPacketInBlock) await o.writer.sync();
      if (packet.lastPacketInBlock) {
        const info = o.finalizeAtEnd ? await o.writer.finalize() : await releaseWriter(o.writer);
        acks.push({ seqno: packet.seqno, status: Status.SUCCESS, end: packet.offsetInBlock + packet.data.length });
        acks.close();
        await responder;
        return info;
      }
      acks.push({ seqno: packet.seqno, status: Status.SUCCESS, end: packet.offsetInBlock + packet.data.length });
    }
  } catch (err) {
    acks.close();
    await responder.catch(() => undefined);
    throw err;
  }
}

async function releaseWriter(writer: ReplicaWriter): Promise<ReplicaInfo> {
  await writer.release();
  return writer.info();
}

/** Verifies and stores one packet; false on a checksum mismatch (nothing of it is stored). */
async function storePacket(o: ReceiveOptions, packet: Packet): Promise<boolean> {
  const { data, checksums } = packet;
  const verifies = o.requested.type !== ChecksumType.NULL;
  if (verifies && data.length > 0) {
    if (checksums.length !== chunkCount(data.length, o.requested.bytesPerChecksum) * CHECKSUM_SIZE) {
      throw new ProtocolError(`packet ${packet.seqno} carries ${checksums.length} checksum bytes for ${data.length} data bytes`);
    }
    if (findChecksumMismatch(o.requested, data, checksums) >= 0) return false;
  }
  const replica = o.writer.info();
  if (packet.offsetInBlock > replica.numBytes) {
    throw new ProtocolError(`packet at offset ${packet.offsetInBlock} leaves a gap after ${replica.numBytes} bytes`);
  }
  // A resent packet (after hflush or recovery) may overlap what is stored.
  const skip = replica.numBytes - packet.offsetInBlock;
  if (skip >= data.length) return true;
  const fresh = data.subarray(skip);
  const reusable = skip === 0 && verifies && sameSpec(o.requested, replica.checksum);
  await o.writer.append(fresh, reusable ? checksums : computeChunkChecksums(replica.checksum, fresh));
  return true;
}

function sameSpec(a: ChecksumSpec, b: ChecksumSpec): boolean {
  return a.type === b.type && a.bytesPerChecksum === b.bytesPerChecksum;
}

async function respond(o: ReceiveOptions, acks: AckQueue<AckEntry>): Promise<void> {
  for (;;) {
    const entry = await acks.take();
    if (!entry) return;
    const reply = [entry.status];
    if (o.mirror && entry.status === Status.SUCCESS) reply.push(...(await mirrorReply(o.mirror, entry.seqno)));
    await sendAck(o.upstream, entry.seqno, reply);
    if (reply.every((s) => s === Status.SUCCESS)) o.onAcked?.(entry.end);
    if (reply.some((s) => s !== Status.SUCCESS)) {
      // The writer now knows which node failed; it must set up a new pipeline.
      o.mirror?.socket.destroy();
      o.upstream.destroySoon();
      return;
    }
  }
}

async function mirrorReply(mirror: Mirror, seqno: number): Promise<hadoop.hdfs.Status[]> {
  try {
    const ack = await mirror.reader.message(hadoop.hdfs.PipelineAckProto);
    if (int64ToNumber(ack.seqno) !== seqno) return [Status.ERROR];
    return ack.reply;
  } catch {
    return [Status.ERROR];
  }
}
