import { createHash } from 'node:crypto';
import { crc32, crc32c } from '@node-rs/crc32';

/**
 * HDFS's file checksums computed from the bytes alone, independently of
 * nnfleet's datanode, as a test's expected value.
 */
export type CrcKind = 'CRC32' | 'CRC32C';

const crcOf = (kind: CrcKind, data: Uint8Array): number => (kind === 'CRC32C' ? crc32c(data) : crc32(data)) >>> 0;

const be32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};

/** A block's MD5-of-CRCs: the MD5 of each 512-byte chunk's CRC, 4 bytes big-endian each. */
export function blockMd5(kind: CrcKind, block: Uint8Array, bytesPerCrc = 512): Buffer {
  const md5 = createHash('md5');
  for (let at = 0; at < block.length; at += bytesPerCrc) md5.update(be32(crcOf(kind, block.subarray(at, at + bytesPerCrc))));
  return md5.digest();
}

/**
 * The MD5 part of MD5MD5CRC32(Gzip|Castagnoli)FileChecksum (FileChecksumHelper):
 * the block MD5s go into a DataOutputBuffer and the MD5 is taken of its
 * whole backing array — 32 bytes at first, grown to max(2×, needed) — so
 * the unused tail's zeros count. An empty file is the MD5 of 32 zeros.
 */
export function md5md5Crc(kind: CrcKind, data: Uint8Array, blockSize: number, bytesPerCrc = 512): string {
  const md5s: Buffer[] = [];
  for (let at = 0; at < data.length; at += blockSize) md5s.push(blockMd5(kind, data.subarray(at, at + blockSize), bytesPerCrc));
  let capacity = 32;
  let used = 0;
  for (const m of md5s) {
    if (used + m.length > capacity) capacity = Math.max(capacity * 2, used + m.length);
    used += m.length;
  }
  const buffer = Buffer.alloc(capacity);
  Buffer.concat(md5s).copy(buffer);
  return createHash('md5').update(buffer).digest('hex');
}

/** COMPOSITE_CRC of a range: the CRC32C of the bytes themselves, 4 bytes big-endian. */
export function compositeCrc(data: Uint8Array): Buffer {
  return be32(crc32c(data));
}
