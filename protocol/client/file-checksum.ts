import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { ChecksumType } from '../datatransfer/checksum';
import { encodeOpRequest, Op } from '../datatransfer/op-codec';
import { connectTo, writeAll, xferAddress } from '../datatransfer/socket-io';
import { StreamReader } from '../datatransfer/stream-reader';
import { hadoop } from '../generated/hadoop';
import { int64ToNumber } from '../long-values';
import { BlockMissingError } from './data-errors';
import type { LocatedBlock, NamenodeClient } from './namenode-client';

/** FileChecksum as WebHDFS's JSON carries it: the algorithm's name, the checksum's Writable bytes, their length. */
export interface FileChecksum {
  readonly algorithm: string;
  readonly bytes: Buffer;
  readonly length: number;
}

const CRC_NAMES: Readonly<Record<number, string>> = { [ChecksumType.CRC32]: 'CRC32', [ChecksumType.CRC32C]: 'CRC32C' };

/**
 * DFSClient.getFileChecksum's MD5MD5CRC32 (FileChecksumHelper.ReplicatedFileChecksumComputer):
 * BLOCK_CHECKSUM of every block from the first location that answers, then
 * the MD5 of the block MD5s. Hadoop takes that MD5 over a DataOutputBuffer's
 * whole backing array (32 bytes, doubled as it fills), zeros included, and
 * clients compare checksums across clusters, so the same is done here.
 */
export async function fileChecksum(client: NamenodeClient, path: string, connectTimeoutMs: number, socketTimeoutMs: number): Promise<FileChecksum> {
  const located = await client.getBlockLocations(path, 0, Number.MAX_SAFE_INTEGER);
  const blocks = located?.blocks ?? [];
  let bytesPerCrc = 0;
  let crcPerBlock = 0;
  let crcType: number = ChecksumType.CRC32;
  const md5s: Buffer[] = [];
  for (const [i, lb] of blocks.entries()) {
    const sum = await blockChecksum(lb, connectTimeoutMs, socketTimeoutMs);
    if (i === 0) {
      bytesPerCrc = sum.bytesPerCrc;
      // Only a file of several blocks reports its CRCs per block.
      if (blocks.length > 1) crcPerBlock = int64ToNumber(sum.crcPerBlock);
      crcType = sum.crcType ?? ChecksumType.CRC32;
    }
    md5s.push(Buffer.from(sum.blockChecksum));
  }
  const md5 = createHash('md5').update(dataOutputBufferArray(md5s)).digest();
  const bytes = Buffer.alloc(28);
  bytes.writeInt32BE(bytesPerCrc, 0);
  bytes.writeBigInt64BE(BigInt(crcPerBlock), 4);
  md5.copy(bytes, 12);
  return { algorithm: `MD5-of-${crcPerBlock}MD5-of-${bytesPerCrc}${CRC_NAMES[crcType] ?? 'CRC32'}`, bytes, length: bytes.length };
}

/** The backing array of a DataOutputBuffer the parts were written to, in order: 32 bytes, grown to max(2×, needed). */
function dataOutputBufferArray(parts: readonly Buffer[]): Buffer {
  let capacity = 32;
  let used = 0;
  for (const p of parts) {
    used += p.length;
    if (used > capacity) capacity = Math.max(capacity << 1, used);
  }
  const array = Buffer.alloc(capacity);
  Buffer.concat(parts).copy(array);
  return array;
}

async function blockChecksum(lb: LocatedBlock, connectTimeoutMs: number, socketTimeoutMs: number): Promise<hadoop.hdfs.OpBlockChecksumResponseProto> {
  const failures: string[] = [];
  for (const loc of lb.locs ?? []) {
    const { host, port, address } = xferAddress(loc.id);
    let socket: Socket | undefined;
    try {
      socket = await connectTo(host, port, connectTimeoutMs);
      const s = socket;
      s.setTimeout(socketTimeoutMs, () => s.destroy(new Error(`no answer from ${address} within ${socketTimeoutMs} ms`)));
      const reader = new StreamReader(s);
      const op: hadoop.hdfs.IOpBlockChecksumProto = { header: { block: lb.b, token: lb.blockToken } };
      await writeAll(s, encodeOpRequest(Op.BLOCK_CHECKSUM, hadoop.hdfs.OpBlockChecksumProto.encode(op).finish()));
      const response = await reader.message(hadoop.hdfs.BlockOpResponseProto);
      if (response.status !== hadoop.hdfs.Status.SUCCESS || !response.checksumResponse) {
        throw new Error(`${hadoop.hdfs.Status[response.status]} ${response.message ?? ''}`.trim());
      }
      return response.checksumResponse as hadoop.hdfs.OpBlockChecksumResponseProto;
    } catch (err) {
      failures.push(`${address}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      socket?.destroy();
    }
  }
  throw new BlockMissingError(`could not get the checksum of block ${String(lb.b.blockId)}: ${failures.join('; ') || 'no locations'}`);
}
