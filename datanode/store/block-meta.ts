import { CHECKSUM_SIZE, toChecksumType, type ChecksumSpec } from '../../protocol/datatransfer/checksum';

export const META_VERSION = 1;
export const META_HEADER_LENGTH = 7;

/**
 * Hadoop's block meta file (`blk_<id>_<gs>.meta`), so a replica directory
 * reads the same as a Hadoop datanode's:
 *
 * ```
 * +-----------------------+-----------------+----------------------------+-----------------------------+
 * | version, u16 BE (1)   | checksum type,  | bytesPerChecksum, u32 BE   | checksum of chunk 0, 1, …   |
 * |                       | 1 byte (2=CRC32C)| (512)                     | 4 bytes BE each             |
 * +-----------------------+-----------------+----------------------------+-----------------------------+
 * ```
 */
export function encodeMetaHeader(spec: ChecksumSpec): Buffer {
  const header = Buffer.alloc(META_HEADER_LENGTH);
  header.writeUInt16BE(META_VERSION, 0);
  header.writeUInt8(spec.type, 2);
  header.writeUInt32BE(spec.bytesPerChecksum, 3);
  return header;
}

export function decodeMetaHeader(header: Buffer): ChecksumSpec {
  if (header.length < META_HEADER_LENGTH) throw new Error('meta file shorter than its header');
  const version = header.readUInt16BE(0);
  if (version !== META_VERSION) throw new Error(`meta version ${version}`);
  const bytesPerChecksum = header.readUInt32BE(3);
  if (bytesPerChecksum === 0) throw new Error('meta bytesPerChecksum 0');
  return { type: toChecksumType(header.readUInt8(2)), bytesPerChecksum };
}

/** Where chunk `index`'s checksum sits in the meta file. */
export function checksumPosition(index: number): number {
  return META_HEADER_LENGTH + index * CHECKSUM_SIZE;
}
