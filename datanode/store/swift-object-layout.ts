import { CHECKSUM_SIZE, chunkCount, toChecksumType, type ChecksumSpec } from '../../protocol/datatransfer/checksum';
import type { ReplicaInfo, ReplicaKey } from './block-store';

/**
 * How a finalized replica sits in Swift: ONE immutable object per
 * (blockId, generationStamp), named `blk_<id>_<gs>` like Hadoop's block
 * files, holding the block's bytes followed by its chunk checksums (4 bytes
 * BE each, as in the meta file after its header):
 *
 * ```
 * blk_<id>_<gs>:  | data, numBytes | checksum of chunk 0, 1, … |
 * metadata:       X-Object-Meta-Nnfleet-Length: numBytes
 *                 X-Object-Meta-Nnfleet-Checksum: <type>:<bytesPerChecksum>
 * ```
 *
 * One object, so a PUT makes bytes and checksums visible together (an
 * upload that dies leaves nothing), one ETag covers both, and a listing
 * shows one object per block. Above the single-object limit the object is
 * a Static Large Object whose segments live in `<container>_segments`.
 */
const NAME = /^blk_(\d+)_(\d+)$/;
export const LENGTH_HEADER = 'x-object-meta-nnfleet-length';
export const CHECKSUM_HEADER = 'x-object-meta-nnfleet-checksum';

export const objectName = (key: ReplicaKey): string => `blk_${key.blockId}_${key.generationStamp}`;
export const segmentsContainer = (container: string): string => `${container}_segments`;
export const segmentName = (key: ReplicaKey, index: number): string => `${objectName(key)}/${String(index).padStart(6, '0')}`;

/** The replica key an object name stands for, or undefined for anything else in the container. */
export function parseObjectName(name: string): ReplicaKey | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const blockId = Number(m[1]);
  const generationStamp = Number(m[2]);
  return Number.isSafeInteger(blockId) && Number.isSafeInteger(generationStamp) ? { blockId, generationStamp } : undefined;
}

/** Bytes of checksums after the data. */
export const checksumBytes = (numBytes: number, spec: ChecksumSpec): number => chunkCount(numBytes, spec.bytesPerChecksum) * CHECKSUM_SIZE;
export const objectSize = (info: Pick<ReplicaInfo, 'numBytes' | 'checksum'>): number => info.numBytes + checksumBytes(info.numBytes, info.checksum);

/** The metadata headers of a replica's object. */
export function objectHeaders(info: ReplicaInfo): Record<string, string> {
  return { [LENGTH_HEADER]: String(info.numBytes), [CHECKSUM_HEADER]: `${info.checksum.type}:${info.checksum.bytesPerChecksum}` };
}

/** A finalized replica from its object's HEAD; undefined when the headers are not nnfleet's or disagree with the size. */
export function replicaFromHeaders(key: ReplicaKey, headers: Record<string, string | string[] | undefined>): ReplicaInfo | undefined {
  const length = Number(headers[LENGTH_HEADER]);
  const spec = /^(\d+):(\d+)$/.exec(String(headers[CHECKSUM_HEADER] ?? ''));
  const size = Number(headers['content-length']);
  if (!Number.isSafeInteger(length) || length < 0 || !spec) return undefined;
  const bytesPerChecksum = Number(spec[2]);
  if (bytesPerChecksum <= 0) return undefined;
  let checksum: ChecksumSpec;
  try {
    checksum = { type: toChecksumType(Number(spec[1])), bytesPerChecksum };
  } catch {
    return undefined;
  }
  const info: ReplicaInfo = { ...key, numBytes: length, state: 'finalized', checksum };
  return size === objectSize(info) ? info : undefined;
}
