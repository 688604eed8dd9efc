import type { Socket } from 'node:net';
import type { ReplicaReader } from '../store/block-store';
import { encodePacket, DEFAULT_PACKET_DATA_SIZE } from '../../protocol/datatransfer/packet-codec';
import { writeAll } from '../../protocol/datatransfer/socket-io';
import { findChecksumMismatch } from '../../protocol/datatransfer/checksum';

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

/**
 * Streams bytes [start, end) of a replica as packets of whole chunks (64 KiB
 * of data at most), with the stored checksums, then the empty packet that
 * marks the end of the block, as Hadoop's BlockSender does.
 */
export async function sendPackets(socket: Socket, replica: ReplicaReader, range: SendRange): Promise<void> {
  const { bytesPerChecksum } = replica.info.checksum;
  const chunksPerPacket = Math.max(1, Math.floor(DEFAULT_PACKET_DATA_SIZE / bytesPerChecksum));
  const packetSize = chunksPerPacket * bytesPerChecksum;
  let seqno = 0;
  let offset = range.start;
  while (offset < range.end) {
    const length = Math.min(packetSize, range.end - offset);
    const data = await replica.readData(offset, length);
    if (data.length !== length) throw new Error(`replica of block ${replica.info.blockId} is shorter than expected`);
    const stored = await replica.readChecksums(offset / bytesPerChecksum, Math.ceil(length / bytesPerChecksum));
    // Checked before sending, so a rotten replica is reported here rather than left to each reader.
    if (findChecksumMismatch(replica.info.checksum, data, stored) >= 0) throw new CorruptReplicaError(replica.info.blockId, offset);
    const checksums = range.withChecksums ? stored : Buffer.alloc(0);
    await writeAll(socket, encodePacket({ offsetInBlock: offset, seqno, lastPacketInBlock: false, syncBlock: false, checksums, data }));
    offset += length;
    seqno++;
  }
  const empty = Buffer.alloc(0);
  await writeAll(socket, encodePacket({ offsetInBlock: offset, seqno, lastPacketInBlock: true, syncBlock: false, checksums: empty, data: empty }));
}
