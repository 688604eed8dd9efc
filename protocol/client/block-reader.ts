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

/**
 * Reads a whole block from the first of its locations that serves it,
 * failing over to the next on any error, as DFSInputStream does. Resolves
 * to the bytes read, every chunk checked against its checksum.
 */
export async function readBlock(r: BlockRead): Promise<number> {
  const failures: string[] = [];
  for (const loc of r.located.locs ?? []) {
    try {
      return await readFrom(r, loc);
    } catch (err) {
      failures.push(`${xferAddress(loc.id).address}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new BlockMissingError(`could not obtain block ${String(r.located.b.blockId)}: ${failures.join('; ') || 'no locations'}`);
}

/**
 * One READ_BLOCK of the whole block:
 *
 * ```
 * client → dn   READ_BLOCK op (offset 0, len = numBytes, sendChecksums)
 * dn → client   BlockOpResponseProto (checksum type, chunkOffset 0)
 * dn → client   packets of whole chunks + their CRCs, then an empty last packet
 * client → dn   ClientReadStatusProto CHECKSUM_OK
 * ```
 */
async function readFrom(r: BlockRead, loc: hadoop.hdfs.DatanodeInfoProto.$Properties): Promise<number> {
  const numBytes = int64ToNumber(r.located.b.numBytes ?? 0);
  const { host, port, address } = xferAddress(loc.id);
  const socket: Socket = await connectTo(host, port, r.connectTimeoutMs);
  socket.setTimeout(r.socketTimeoutMs, () => socket.destroy(new Error(`no data from ${address} within ${r.socketTimeoutMs} ms`)));
  const reader = new StreamReader(socket);
  try {
    const op: hadoop.hdfs.IOpReadBlockProto = {
      header: { baseHeader: { block: r.located.b, token: r.located.blockToken }, clientName: r.clientName },
      offset: 0,
      len: numBytes,
      sendChecksums: true,
    };
    await writeAll(socket, encodeOpRequest(Op.READ_BLOCK, hadoop.hdfs.OpReadBlockProto.encode(op).finish()));
    const response = await reader.message(hadoop.hdfs.BlockOpResponseProto);
    if (response.status !== Status.SUCCESS) throw new Error(`${Status[response.status]} ${response.message ?? ''}`.trim());
    const info = response.readOpChecksumInfo;
    if (!info || int64ToNumber(info.chunkOffset) !== 0) throw new Error('READ_BLOCK from offset 0 answered without chunk offset 0');
    const spec: ChecksumSpec = { type: toChecksumType(info.checksum.type), bytesPerChecksum: info.checksum.bytesPerChecksum };
    let received = 0;
    for (;;) {
      const packet = await reader.packet();
      if (packet.offsetInBlock !== received) throw new Error(`packet at offset ${packet.offsetInBlock} after ${received} bytes`);
      if (packet.data.length > 0 && findChecksumMismatch(spec, packet.data, packet.checksums) >= 0) {
        throw new ChecksumError(`checksum error in block ${String(r.located.b.blockId)} at offset ${received} from ${address}`);
      }
      received += packet.data.length;
      if (packet.lastPacketInBlock) break;
    }
    if (received !== numBytes) throw new ShortReadError(`${address} sent ${received} of the block's ${numBytes} bytes`);
    // Flushed before the socket is destroyed, so the datanode hears the status.
    const status = encodeDelimited(hadoop.hdfs.ClientReadStatusProto.encode({ status: Status.CHECKSUM_OK }).finish());
    await new Promise<void>((resolve) => socket.end(status, () => resolve()));
    return received;
  } finally {
    socket.destroy();
  }
}
