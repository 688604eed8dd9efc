import type { Socket } from 'node:net';
import type { ReplicaReader } from '../store/block-store';
import { DEFAULT_PACKET_DATA_SIZE } from '../../protocol/datatransfer/packet-codec';
import { writePacket } from '../../protocol/datatransfer/socket-io';
import { CHECKSUM_SIZE, findChecksumMismatch } from '../../protocol/datatransfer/checksum';

/** The replica's bytes do not match its stored checksums. */
export class CorruptReplicaError extends Error {
  constructor(readonly blockId: number, readonly offset: number) {
    super(`replica of block ${blockId} is corrupt near offset ${offset}`);
  }
}

export interface SendRange {
  /** Chunk-aligned start offset in the block. */
  start: number;
  /** End offset (exclusive); at most the replica's length. */
  end: number;
  withChecksums: boolean;
}

/** Packets read from disk at once: two reads (data, checksums) per slab, not per packet. */
const PACKETS_PER_SLAB = 16;

interface Slab {
  offset: number;
  data: Buffer;
  checksums: Buffer;
}

/**
 * Streams bytes [start, end) of a replica as packets of whole chunks (64 KiB
 * of data at most), with the stored checksums, then the empty packet that
 * marks the end of the block, as Hadoop's BlockSender does. The replica is
 * read a slab of packets at a time, the next slab while this one is sent;
 * each packet goes out as head, checksums and data in one writev, slices
 * of the slab with no copy.
 */
export async function sendPackets(socket: Socket, replica: ReplicaReader, range: SendRange): Promise<void> {
  const { bytesPerChecksum } = replica.info.checksum;
  const chunksPerPacket = Math.max(1, Math.floor(DEFAULT_PACKET_DATA_SIZE / bytesPerChecksum));
  const packetSize = chunksPerPacket * bytesPerChecksum;
  const slabSize = packetSize * PACKETS_PER_SLAB;
  const readSlab = async (offset: number): Promise<Slab> => {
    const length = Math.min(slabSize, range.end - offset);
    const [data, checksums] = await Promise.all([
      replica.readData(offset, length),
      replica.readChecksums(offset / bytesPerChecksum, Math.ceil(length / bytesPerChecksum)),
    ]);
    if (data.length !== length) throw new Error(`replica of block ${replica.info.blockId} is shorter than expected`);
    return { offset, data, checksums };
  };
  let seqno = 0;
  let next = range.start < range.end ? readSlab(range.start) : undefined;
  while (next) {
    const slab = await next;
    const after = slab.offset + slab.data.length;
    next = after < range.end ? readSlab(after) : undefined;
    // A failed prefetch is awaited (and thrown) in turn; until then it must not count as unhandled.
    next?.catch(() => undefined);
    for (let at = 0; at < slab.data.length; at += packetSize) {
      const data = slab.data.subarray(at, at + packetSize);
      const firstSum = (at / bytesPerChecksum) * CHECKSUM_SIZE;
      const stored = slab.checksums.subarray(firstSum, firstSum + Math.ceil(data.length / bytesPerChecksum) * CHECKSUM_SIZE);
      const offset = slab.offset + at;
      // Checked before sending, so a rotten replica is reported here rather than left to each reader.
      if (findChecksumMismatch(replica.info.checksum, data, stored) >= 0) throw new CorruptReplicaError(replica.info.blockId, offset);
      const checksums = range.withChecksums ? stored : EMPTY;
      await writePacket(socket, { offsetInBlock: offset, seqno, lastPacketInBlock: false, syncBlock: false, checksums, data });
      seqno++;
    }
  }
  const offset = Math.max(range.start, range.end);
  await writePacket(socket, { offsetInBlock: offset, seqno, lastPacketInBlock: true, syncBlock: false, checksums: EMPTY, data: EMPTY });
}

const EMPTY = Buffer.alloc(0);
