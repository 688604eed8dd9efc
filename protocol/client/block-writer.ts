import type { Socket } from 'node:net';
import type Long from 'long';
import { hadoop } from '../generated/hadoop';
import { int64ToNumber } from '../long-values';
import { computeChunkChecksums, DEFAULT_CHECKSUM } from '../datatransfer/checksum';
import { encodeOpRequest, Op } from '../datatransfer/op-codec';
import { DEFAULT_PACKET_DATA_SIZE } from '../datatransfer/packet-codec';
import { connectTo, writeAll, writePacket, xferAddress } from '../datatransfer/socket-io';
import { StreamReader } from '../datatransfer/stream-reader';
import type { LocatedBlock } from './namenode-client';
import { PipelineAckError, PipelineSetupError } from './data-errors';

const { Status } = hadoop.hdfs;
const Stage = hadoop.hdfs.OpWriteBlockProto.BlockConstructionStage;
/** Seqno of the datanodes' keep-alive acks, which acknowledge no packet. */
const HEARTBEAT_SEQNO = -1;

export interface BlockWrite {
  /** The block addBlock gave: its id, stamp and the pipeline's datanodes in order. */
  readonly located: LocatedBlock;
  readonly clientName: string;
  /**
   * The block's bytes from `offset`, at most `max` of them; fewer only at
   * the block's end, an empty buffer once it is reached. A source that
   * knows its length (`fixedLengthSource`) or a stream read as it goes
   * (WebHDFS's CREATE body), so a block need not be in memory.
   */
  readonly next: (offset: number, max: number) => Buffer | Promise<Buffer>;
  readonly connectTimeoutMs: number;
  readonly socketTimeoutMs: number;
  /** Continuing a finalized block (an append) instead of creating one. */
  readonly append?: BlockAppend;
  /** Called once every datanode of the pipeline has accepted WRITE_BLOCK, before any packet: a timer's mark. */
  readonly onSetup?: () => void;
}

/**
 * PIPELINE_SETUP_APPEND, as DataStreamer sets it up for an append into a
 * partial last block: the replicas hold `bytesOnDisk` bytes at the block's
 * stamp; they move to `newGenerationStamp` (from updateBlockForPipeline),
 * and `afterSetup` (updatePipeline) runs once every datanode has accepted,
 * before any data.
 */
export interface BlockAppend {
  readonly bytesOnDisk: number;
  readonly newGenerationStamp: number | Long;
  readonly afterSetup: () => Promise<void>;
}

/** The source of a block of known length whose bytes [offset, offset + n) `data` gives. */
export function fixedLengthSource(length: number, data: (offset: number, n: number) => Buffer): BlockWrite['next'] {
  return (offset, max) => (offset >= length ? Buffer.alloc(0) : data(offset, Math.min(max, length - offset)));
}

/**
 * Writes one new block through its pipeline, as Hadoop's DataStreamer does
 * for PIPELINE_SETUP_CREATE: dial the first datanode, which forwards to the
 * rest.
 *
 * ```
 * client → dn1   WRITE_BLOCK op (targets = dn2…, CRC32C / 512-byte chunks)
 * dn1 → client   BlockOpResponseProto (SUCCESS, or the firstBadLink)
 * client → dn1   packets seqno 0…n-1: 64 KiB of data + one CRC per chunk
 * client → dn1   packet n: empty, lastPacketInBlock
 * dn1 → client   PipelineAckProto per packet: [dn1 status, dn2 status, …]
 * ```
 *
 * Resolves, to the block's length, once every packet, the last included,
 * is acknowledged by every datanode: by then each replica is finalized.
 */
export async function writeBlock(w: BlockWrite): Promise<number> {
  const locs = w.located.locs ?? [];
  const first = locs[0];
  if (!first) throw new PipelineSetupError(`addBlock gave block ${String(w.located.b.blockId)} no datanode`, '');
  const { host, port, address } = xferAddress(first.id);
  let socket: Socket;
  try {
    socket = await connectTo(host, port, w.connectTimeoutMs);
  } catch (err) {
    throw new PipelineSetupError(err instanceof Error ? err.message : String(err), address);
  }
  socket.setTimeout(w.socketTimeoutMs, () => socket.destroy(new PipelineAckError(`no answer from ${address} within ${w.socketTimeoutMs} ms`)));
  const reader = new StreamReader(socket);
  try {
    await writeAll(socket, encodeOpRequest(Op.WRITE_BLOCK, hadoop.hdfs.OpWriteBlockProto.encode(writeOp(w)).finish()));
    const response = await reader.message(hadoop.hdfs.BlockOpResponseProto).catch((err: unknown) => {
      throw new PipelineSetupError(`${address} closed before answering WRITE_BLOCK: ${err instanceof Error ? err.message : String(err)}`, address);
    });
    if (response.status !== Status.SUCCESS) {
      const bad = response.firstBadLink || address;
      throw new PipelineSetupError(`pipeline setup failed at ${bad}: ${Status[response.status]} ${response.message ?? ''}`.trim(), bad);
    }
    w.onSetup?.();
    await w.append?.afterSetup();
    // How many packets there are is known once the source ends; acks are read meanwhile.
    const sent: { packets?: number } = {};
    const acks = readAcks(reader, sent, locs.map((l) => xferAddress(l.id).address));
    // A refused packet ends the conversation: free a sender waiting for the socket to drain.
    acks.catch(() => socket.destroy());
    let length: number;
    try {
      ({ length, packets: sent.packets } = await sendPackets(socket, w));
    } catch (err) {
      socket.destroy();
      await acks.catch(() => undefined);
      throw err;
    }
    await acks;
    return length;
  } finally {
    socket.destroy();
  }
}

function writeOp(w: BlockWrite): hadoop.hdfs.IOpWriteBlockProto {
  const { b, storageTypes, storageIDs } = w.located;
  const locs = w.located.locs ?? [];
  const onDisk = w.append?.bytesOnDisk ?? 0;
  return {
    // The namenode's block token, passed through unchanged as real clients do.
    header: { baseHeader: { block: { ...b, numBytes: onDisk }, token: w.located.blockToken }, clientName: w.clientName },
    targets: locs.slice(1),
    stage: w.append ? Stage.PIPELINE_SETUP_APPEND : Stage.PIPELINE_SETUP_CREATE,
    pipelineSize: locs.length,
    minBytesRcvd: onDisk,
    maxBytesRcvd: onDisk,
    latestGenerationStamp: w.append?.newGenerationStamp ?? b.generationStamp,
    requestedChecksum: { type: DEFAULT_CHECKSUM.type, bytesPerChecksum: DEFAULT_CHECKSUM.bytesPerChecksum },
    targetStorageTypes: (storageTypes ?? []).slice(1),
    targetStorageIds: (storageIDs ?? []).slice(1),
    ...(storageTypes?.[0] !== undefined ? { storageType: storageTypes[0] } : {}),
    ...(storageIDs?.[0] !== undefined ? { storageId: storageIDs[0] } : {}),
  };
}

/**
 * Data packets of whole 512-byte chunks (only the last may be short), then
 * the empty last packet; the socket's drain paces them. Resolves to the
 * block's length and the packets sent.
 */
async function sendPackets(socket: Socket, w: BlockWrite): Promise<{ length: number; packets: number }> {
  let seqno = 0;
  let offset = w.append?.bytesOnDisk ?? 0;
  for (;;) {
    // After a partial chunk on disk, the first packet only completes that chunk (DFSOutputStream.adjustChunkBoundary).
    const partial = offset % DEFAULT_CHECKSUM.bytesPerChecksum;
    const data = await w.next(offset, partial === 0 ? DEFAULT_PACKET_DATA_SIZE : DEFAULT_CHECKSUM.bytesPerChecksum - partial);
    if (data.length === 0) break;
    const checksums = computeChunkChecksums(DEFAULT_CHECKSUM, data);
    await writePacket(socket, { offsetInBlock: offset, seqno: seqno++, lastPacketInBlock: false, syncBlock: false, checksums, data });
    offset += data.length;
  }
  const empty = Buffer.alloc(0);
  await writePacket(socket, { offsetInBlock: offset, seqno, lastPacketInBlock: true, syncBlock: false, checksums: empty, data: empty });
  return { length: offset, packets: seqno + 1 };
}

/**
 * One ack per packet, in order, each with a SUCCESS from every datanode of
 * the pipeline, until the last packet's (the count is set once sent).
 */
async function readAcks(reader: StreamReader, sent: { readonly packets?: number }, pipeline: readonly string[]): Promise<void> {
  for (let expected = 0; expected < (sent.packets ?? Infinity); ) {
    const ack = await reader.message(hadoop.hdfs.PipelineAckProto).catch((err: unknown) => {
      throw new PipelineAckError(`pipeline ${pipeline.join(' → ')} closed before acknowledging packet ${expected}: ${err instanceof Error ? err.message : String(err)}`);
    });
    const seqno = int64ToNumber(ack.seqno);
    if (seqno === HEARTBEAT_SEQNO) continue;
    if (seqno !== expected) throw new PipelineAckError(`ack for packet ${seqno} while waiting for ${expected}`);
    const bad = ack.reply.findIndex((s) => s !== Status.SUCCESS);
    if (bad >= 0) throw new PipelineAckError(`${pipeline[bad] ?? `datanode ${bad + 1}`} answered ${Status[ack.reply[bad] as number]} to packet ${seqno}`);
    if (ack.reply.length !== pipeline.length) {
      throw new PipelineAckError(`packet ${seqno} acknowledged by ${ack.reply.length} of ${pipeline.length} datanodes`);
    }
    expected++;
  }
}
