import type { Socket } from 'node:net';
import { hadoop } from '../generated/hadoop';
import { int64ToNumber } from '../long-values';
import { computeChunkChecksums, DEFAULT_CHECKSUM } from '../datatransfer/checksum';
import { encodeOpRequest, Op } from '../datatransfer/op-codec';
import { DEFAULT_PACKET_DATA_SIZE, encodePacket } from '../datatransfer/packet-codec';
import { connectTo, writeAll, xferAddress } from '../datatransfer/socket-io';
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
  /** Bytes of the block to write. */
  readonly length: number;
  /** The block's bytes [offset, offset + length). */
  readonly data: (offset: number, length: number) => Buffer;
  readonly connectTimeoutMs: number;
  readonly socketTimeoutMs: number;
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
 * Resolves once every packet, the last included, is acknowledged by every
 * datanode: by then each replica is finalized.
 */
export async function writeBlock(w: BlockWrite): Promise<void> {
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
    const packets = Math.ceil(w.length / DEFAULT_PACKET_DATA_SIZE) + 1;
    const acks = readAcks(reader, packets, locs.map((l) => xferAddress(l.id).address));
    // A refused packet ends the conversation: free a sender waiting for the socket to drain.
    acks.catch(() => socket.destroy());
    try {
      await sendPackets(socket, w);
    } catch (err) {
      await acks;
      throw err;
    }
    await acks;
  } finally {
    socket.destroy();
  }
}

function writeOp(w: BlockWrite): hadoop.hdfs.IOpWriteBlockProto {
  const { b, storageTypes, storageIDs } = w.located;
  const locs = w.located.locs ?? [];
  const genStamp = b.generationStamp;
  return {
    // The namenode's block token, passed through unchanged as real clients do.
    header: { baseHeader: { block: { ...b, numBytes: 0 }, token: w.located.blockToken }, clientName: w.clientName },
    targets: locs.slice(1),
    stage: Stage.PIPELINE_SETUP_CREATE,
    pipelineSize: locs.length,
    minBytesRcvd: 0,
    maxBytesRcvd: 0,
    latestGenerationStamp: genStamp,
    requestedChecksum: { type: DEFAULT_CHECKSUM.type, bytesPerChecksum: DEFAULT_CHECKSUM.bytesPerChecksum },
    targetStorageTypes: (storageTypes ?? []).slice(1),
    targetStorageIds: (storageIDs ?? []).slice(1),
    ...(storageTypes?.[0] !== undefined ? { storageType: storageTypes[0] } : {}),
    ...(storageIDs?.[0] !== undefined ? { storageId: storageIDs[0] } : {}),
  };
}

/** Data packets of whole 512-byte chunks, then the empty last packet; the socket's drain paces them. */
async function sendPackets(socket: Socket, w: BlockWrite): Promise<void> {
  let seqno = 0;
  for (let offset = 0; offset < w.length; offset += DEFAULT_PACKET_DATA_SIZE) {
    const data = w.data(offset, Math.min(DEFAULT_PACKET_DATA_SIZE, w.length - offset));
    const checksums = computeChunkChecksums(DEFAULT_CHECKSUM, data);
    await writeAll(socket, encodePacket({ offsetInBlock: offset, seqno: seqno++, lastPacketInBlock: false, syncBlock: false, checksums, data }));
  }
  const empty = Buffer.alloc(0);
  await writeAll(socket, encodePacket({ offsetInBlock: w.length, seqno, lastPacketInBlock: true, syncBlock: false, checksums: empty, data: empty }));
}

/** One ack per packet, in order, each with a SUCCESS from every datanode of the pipeline. */
async function readAcks(reader: StreamReader, packets: number, pipeline: readonly string[]): Promise<void> {
  for (let expected = 0; expected < packets; ) {
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
