import { crc32, crc32c } from '@node-rs/crc32';

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

/** Index of the first chunk whose checksum does not match, or -1. */
export function findChecksumMismatch(spec: ChecksumSpec, data: Uint8Array, checksums: Uint8Array): number {
  const expected = computeChunkChecksums(spec, data);
  if (expected.length !== checksums.length) return 0;
  for (let i = 0; i < expected.length; i += CHECKSUM_SIZE) {
    if (Buffer.compare(expected.subarray(i, i + CHECKSUM_SIZE), checksums.subarray(i, i + CHECKSUM_SIZE)) !== 0) {
      return i / CHECKSUM_SIZE;
    }
  }
  return -1;
}
