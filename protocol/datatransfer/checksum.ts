import { crc32, crc32c } from '@node-rs/crc32';
import { CASTAGNOLI_POLYNOMIAL, crcMonomial, crcShifter, galoisFieldMultiply, GZIP_POLYNOMIAL } from './crc-math';

/**
 * Hadoop's DataChecksum type ids, as stored in a block's meta header and
 * sent as ChecksumTypeProto. Hadoop clients ask for CRC32C; the Go client
 * asks for CRC32 (IEEE), so a replica keeps the type its writer chose.
 */
export const ChecksumType = { NULL: 0, CRC32: 1, CRC32C: 2 } as const;
export type ChecksumType = (typeof ChecksumType)[keyof typeof ChecksumType];

export const CHECKSUM_SIZE = 4;
export const DEFAULT_BYTES_PER_CHECKSUM = 512;

export interface ChecksumSpec {
  type: ChecksumType;
  bytesPerChecksum: number;
}

export const DEFAULT_CHECKSUM: ChecksumSpec = { type: ChecksumType.CRC32C, bytesPerChecksum: DEFAULT_BYTES_PER_CHECKSUM };

export class UnsupportedChecksumError extends Error {
  constructor(type: number) {
    super(`unsupported checksum type ${type}`);
    this.name = 'UnsupportedChecksumError';
  }
}

export function toChecksumType(value: number): ChecksumType {
  if (value === ChecksumType.CRC32 || value === ChecksumType.CRC32C) return value;
  throw new UnsupportedChecksumError(value);
}

export function checksumOf(type: ChecksumType, data: Uint8Array): number {
  switch (type) {
    case ChecksumType.CRC32:
      return crc32(data) >>> 0;
    case ChecksumType.CRC32C:
      return crc32c(data) >>> 0;
    case ChecksumType.NULL:
      throw new UnsupportedChecksumError(type);
  }
}

export function chunkCount(dataLength: number, bytesPerChecksum: number): number {
  return Math.ceil(dataLength / bytesPerChecksum);
}

/**
 * The big-endian checksum of each chunk of `data`, as packets and meta files
 * carry them; the last chunk may be shorter than bytesPerChecksum:
 *
 * ```
 * +------------------------+------------------------+-----+------------------------+
 * | crc(chunk 0), u32 BE   | crc(chunk 1), u32 BE   | ... | crc(last chunk), u32 BE|
 * +------------------------+------------------------+-----+------------------------+
 * ```
 */
export function computeChunkChecksums(spec: ChecksumSpec, data: Uint8Array): Buffer {
  const n = chunkCount(data.length, spec.bytesPerChecksum);
  const out = Buffer.alloc(n * CHECKSUM_SIZE);
  for (let i = 0; i < n; i++) {
    const start = i * spec.bytesPerChecksum;
    const chunk = data.subarray(start, Math.min(start + spec.bytesPerChecksum, data.length));
    out.writeUInt32BE(checksumOf(spec.type, chunk), i * CHECKSUM_SIZE);
  }
  return out;
}

/**
 * Index of the first chunk whose checksum does not match, or -1. The data
 * is checksummed once as a whole (one native call over the packet instead
 * of one per 512 bytes) and compared with the chunk checksums composed
 * into the whole's (crc(A‖B) = crc(A)·x^(8·|B|) ⊕ crc(B)); only a mismatch
 * walks the chunks to name the first bad one.
 */
export function findChecksumMismatch(spec: ChecksumSpec, data: Uint8Array, checksums: Uint8Array): number {
  const n = chunkCount(data.length, spec.bytesPerChecksum);
  if (checksums.length !== n * CHECKSUM_SIZE) return 0;
  if (n === 0) return -1;
  const sums = Buffer.from(checksums.buffer, checksums.byteOffset, checksums.byteLength);
  if (composedChecksum(spec, data.length, sums) === checksumOf(spec.type, data)) return -1;
  for (let i = 0; i < n; i++) {
    const start = i * spec.bytesPerChecksum;
    const chunk = data.subarray(start, Math.min(start + spec.bytesPerChecksum, data.length));
    if (checksumOf(spec.type, chunk) !== sums.readUInt32BE(i * CHECKSUM_SIZE)) return i;
  }
  return -1;
}

const shifters = new Map<string, (crc: number) => number>();

/** The checksum of `length` bytes whose chunks carry `sums`. */
function composedChecksum(spec: ChecksumSpec, length: number, sums: Buffer): number {
  const m = spec.type === ChecksumType.CRC32 ? GZIP_POLYNOMIAL : CASTAGNOLI_POLYNOMIAL;
  const key = `${spec.type}/${spec.bytesPerChecksum}`;
  let shift = shifters.get(key);
  if (!shift) shifters.set(key, (shift = crcShifter(spec.bytesPerChecksum, m)));
  const full = Math.floor(length / spec.bytesPerChecksum);
  let acc = 0;
  for (let i = 0; i < full; i++) acc = (i === 0 ? 0 : shift(acc)) ^ sums.readUInt32BE(i * CHECKSUM_SIZE);
  const tail = length - full * spec.bytesPerChecksum;
  if (tail > 0) {
    const last = sums.readUInt32BE(full * CHECKSUM_SIZE);
    acc = full === 0 ? last : galoisFieldMultiply(acc, crcMonomial(tail, m), m) ^ last;
  }
  return acc >>> 0;
}
