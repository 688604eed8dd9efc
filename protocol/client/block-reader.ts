import type { Socket } from 'node:net';
import { hadoop } from '../generated/hadoop';
import { int64ToNumber } from '../long-values';
import { findChecksumMismatch, toChecksumType, type ChecksumSpec } from '../datatransfer/checksum';
import { encodeDelimited, encodeOpRequest, Op } from '../datatransfer/op-codec';
import { connectTo, writeAll, xferAddress } from '../datatransfer/socket-io';
import { StreamReader } from '../datatransfer/stream-reader';
import type { LocatedBlock } from './namenode-client';
import { BlockMissingError, ChecksumError, ShortReadError } from './data-errors';

const { Status } = hadoop.hdfs;

export interface BlockRead {
  readonly located: LocatedBlock;
  readonly clientName: string;
  readonly connectTimeoutMs: number;
  readonly socketTimeoutMs: number;
}

/** Where the bytes read go; awaited, so a slow consumer (an HTTP response) paces the reads. */
export type BlockSink = (bytes: Buffer) => void | Promise<void>;

/**
 * Reads a whole block from the first of its locations that serves it,
 * failing over to the next on any error, as DFSInputStream does. Resolves
 * to the bytes read, every chunk checked against its checksum.
 */
export function readBlock(r: BlockRead): Promise<number> {
  return readBlockRange(r, 0, int64ToNumber(r.located.b.numBytes ?? 0), () => undefined);
}

/**
 * Bytes [offset, offset + length) of a block, handed to `sink` as they
 * arrive and checked against their checksums first. A location failing
 * midway is left for the next, which continues where it stopped (nothing
 * is handed over twice).
 */
export async function readBlockRange(r: BlockRead, offset: number, length: number, sink: BlockSink): Promise<number> {
  const failures: string[] = [];
  let delivered = 0;
  const counting: BlockSink = (bytes) => {
    delivered += bytes.length;
    return sink(bytes);
  };
  for (const loc of r.located.locs ?? []) {
    try {
      await readFrom(r, loc, offset + delivered, length - delivered, counting);
      return delivered;
    } catch (err) {
      failures.push(`${xferAddress(loc.id).address}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new BlockMissingError(`could not obtain block ${String(r.located.b.blockId)}: ${failures.join('; ') || 'no locations'}`);
}

/**
 * One READ_BLOCK of [offset, offset + len):
 *
 * ```
 * client → dn   READ_BLOCK op (offset, len, sendChecksums)
 * dn → client   BlockOpResponseProto (checksum type, chunkOffset: offset rounded down to a chunk)
 * dn → client   packets of whole chunks + their CRCs, then an empty last packet
 * client → dn   ClientReadStatusProto CHECKSUM_OK
 * ```
 */
async function readFrom(r: BlockRead, loc: hadoop.hdfs.DatanodeInfoProto.$Properties, offset: number, len: number, sink: BlockSink): Promise<void> {
  const { host, port, address } = xferAddress(loc.id);
  const socket: Socket = await connectTo(host, port, r.connectTimeoutMs);
  socket.setTimeout(r.socketTimeoutMs, () => socket.destroy(new Error(`no data from ${address} within ${r.socketTimeoutMs} ms`)));
  const reader = new StreamReader(socket);
  try {
    const op: hadoop.hdfs.IOpReadBlockProto = {
      header: { baseHeader: { block: r.located.b, token: r.located.blockToken }, clientName: r.clientName },
      offset,
      len,
      sendChecksums: true,
    };
    await writeAll(socket, encodeOpRequest(Op.READ_BLOCK, hadoop.hdfs.OpReadBlockProto.encode(op).finish()));
    const response = await reader.message(hadoop.hdfs.BlockOpResponseProto);
    if (response.status !== Status.SUCCESS) throw new Error(`${Status[response.status]} ${response.message ?? ''}`.trim());
    const info = response.readOpChecksumInfo;
    const chunkOffset = info ? int64ToNumber(info.chunkOffset) : -1;
    if (!info || chunkOffset > offset || offset - chunkOffset >= info.checksum.bytesPerChecksum) {
      throw new Error(`READ_BLOCK from offset ${offset} answered with chunk offset ${chunkOffset}`);
    }
    const spec: ChecksumSpec = { type: toChecksumType(info.checksum.type), bytesPerChecksum: info.checksum.bytesPerChecksum };
    // The datanode sends whole chunks from chunkOffset: what precedes `offset` is checked, not handed over.
    let position = chunkOffset;
    const end = offset + len;
    for (;;) {
      const packet = await reader.packet();
      if (packet.offsetInBlock !== position) throw new Error(`packet at offset ${packet.offsetInBlock} after ${position - chunkOffset} bytes`);
      if (packet.data.length > 0 && findChecksumMismatch(spec, packet.data, packet.checksums) >= 0) {
        throw new ChecksumError(`checksum error in block ${String(r.located.b.blockId)} at offset ${position} from ${address}`);
      }
      const from = Math.max(offset, position);
      const to = Math.min(end, position + packet.data.length);
      if (to > from) await sink(packet.data.subarray(from - position, to - position));
      position += packet.data.length;
      if (packet.lastPacketInBlock) break;
    }
    if (position < end) throw new ShortReadError(`${address} sent the block's bytes up to ${position} of ${end}`);
    // Flushed before the socket is destroyed, so the datanode hears the status.
    const status = encodeDelimited(hadoop.hdfs.ClientReadStatusProto.encode({ status: Status.CHECKSUM_OK }).finish());
    await new Promise<void>((resolve) => socket.end(status, () => resolve()));
  } finally {
    socket.destroy();
  }
}
