import { mkdir, open, stat, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CHECKSUM_SIZE, chunkCount, computeChunkChecksums, type ChecksumSpec } from '../../protocol/datatransfer/checksum';
import { checksumPosition, decodeMetaHeader, META_HEADER_LENGTH } from './block-meta';

/** File-level helpers shared by the local store, its writer and its startup scan. */

export async function readMetaSpec(metaPath: string): Promise<ChecksumSpec> {
  const fh = await open(metaPath, 'r');
  try {
    const header = Buffer.alloc(META_HEADER_LENGTH);
    const { bytesRead } = await fh.read(header, 0, META_HEADER_LENGTH, 0);
    return decodeMetaHeader(header.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

export function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  return readFully((buf, offset, len, pos) => fh.read(buf, offset, len, pos), position, length);
}

/** Reads at `position` until `length` bytes or the end of the file, through `read` (a FileHandle's or a descriptor's). */
export async function readFully(
  read: (buf: Buffer, offset: number, length: number, position: number) => Promise<{ bytesRead: number }>,
  position: number,
  length: number,
): Promise<Buffer> {
  // Unzeroed: only the bytes read are returned.
  const buf = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await read(buf, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buf : buf.subarray(0, filled);
}

/**
 * Cuts a replica to `length` bytes and the checksums to match, recomputing
 * the checksum of a last chunk that the cut leaves partial.
 */
export async function truncateReplica(dataPath: string, metaPath: string, spec: ChecksumSpec, length: number): Promise<void> {
  await truncate(dataPath, length);
  const chunks = chunkCount(length, spec.bytesPerChecksum);
  await truncate(metaPath, checksumPosition(chunks));
  const partial = length % spec.bytesPerChecksum;
  if (partial === 0) return;
  const data = await open(dataPath, 'r');
  const meta = await open(metaPath, 'r+');
  try {
    const tail = await readAt(data, length - partial, partial);
    await meta.write(computeChunkChecksums(spec, tail), 0, CHECKSUM_SIZE, checksumPosition(chunks - 1));
  } finally {
    await data.close();
    await meta.close();
  }
}

/**
 * The longest prefix of an RBW replica that its checksums vouch for: a crash
 * may leave data without its checksum or a torn last chunk.
 */
export async function verifiedLength(dataPath: string, metaPath: string, spec: ChecksumSpec): Promise<number> {
  const dataSize = (await stat(dataPath)).size;
  const metaSize = (await stat(metaPath)).size;
  const storedChunks = Math.max(0, Math.floor((metaSize - META_HEADER_LENGTH) / CHECKSUM_SIZE));
  const length = Math.min(dataSize, storedChunks * spec.bytesPerChecksum);
  if (length === 0) return 0;
  const last = chunkCount(length, spec.bytesPerChecksum) - 1;
  const data = await open(dataPath, 'r');
  const meta = await open(metaPath, 'r');
  try {
    const chunk = await readAt(data, last * spec.bytesPerChecksum, length - last * spec.bytesPerChecksum);
    const stored = await readAt(meta, checksumPosition(last), CHECKSUM_SIZE);
    return computeChunkChecksums(spec, chunk).equals(stored) ? length : last * spec.bytesPerChecksum;
  } finally {
    await data.close();
    await meta.close();
  }
}

/** fsync a directory so the renames into it survive a crash. */
export async function syncDir(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function syncParent(path: string): Promise<void> {
  await syncDir(dirname(path));
}

/**
 * Runs `op`, which creates an entry in `dir`; only if `dir` is missing
 * (ENOENT) is it created and `op` run again. The directories nearly always
 * exist, so a replica costs no mkdir call (one each was a tenth of a
 * datanode's CPU per small file).
 */
export async function inDir<T>(dir: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dir, { recursive: true });
    return op();
  }
}
