import type { FileStatus } from '../domain/file-status';
import { measureStatus, mtimeFieldSize, putMtimeField, putStatus, statusHeadSize } from './status-writer';

/*
 * A status's HdfsFileStatusProto bytes, kept on its inode row so that a
 * listing selects three columns a child instead of twenty-two and copies
 * them into the answer (inodes.status_head / status_tail, schema v16):
 *
 *   head  08 fileType | 12 len path | 18 length | 22 len perm | 2a owner | 32 group
 *   mtime (its own column: a directory's mtime is moved by guarded touches
 *          in SQL, `GREATEST(mtime, ?)`, which cannot rewrite bytes)
 *   tail  40 atime | [4a symlink] | 50 replication | 58 blocksize | 68 fileId |
 *         80 01 storagePolicy | 90 01 flags
 *
 * head ‖ 38 varint(mtime) ‖ tail is exactly putStatus's bytes for the same
 * status (field-number order, as protobufjs writes it).
 */

export interface StatusParts {
  readonly head: Buffer;
  readonly tail: Buffer;
}

/** The head and tail of a status (its own storage policy, its name as path). */
export function statusPartsOf(s: FileStatus): StatusParts {
  const m = measureStatus(s);
  const whole = Buffer.allocUnsafe(m.size);
  putStatus(whole, 0, s, m);
  const headSize = statusHeadSize(s, m);
  return { head: whole.subarray(0, headSize), tail: whole.subarray(headSize + mtimeFieldSize(s.mtime)) };
}

/** The bytes of one status from its parts: the length head ‖ mtime ‖ tail takes. */
export const partsSize = (head: Uint8Array, mtime: number, tail: Uint8Array): number => head.length + mtimeFieldSize(mtime) + tail.length;

/** head ‖ mtime field ‖ tail written at `at`; returns the offset after it. */
export function putParts(out: Buffer, at: number, head: Uint8Array, mtime: number, tail: Uint8Array): number {
  out.set(head, at);
  const p = putMtimeField(out, at + head.length, mtime);
  out.set(tail, p);
  return p + tail.length;
}

const IS_SYMLINK = 3;

/** The file type byte of a head (1 directory, 2 file, 3 symlink). */
export const headFileType = (head: Uint8Array): number => head[1] as number;

/** Whether a head is a symlink's. */
export const headIsSymlink = (head: Uint8Array): boolean => headFileType(head) === IS_SYMLINK;

/**
 * Whether a head has the shape putStatus writes (fileType 1–3 then the
 * path's length-delimited field, inside the head): the only heads
 * headName and headIsSymlink read.
 */
export function headIsKept(head: Uint8Array): boolean {
  return nameStart(head) >= 0;
}

/**
 * Where the path's bytes start in a head of putStatus's shape, or -1 for any
 * other head; lastNameEnd then holds where they end (a scratch value, as a
 * RegExp's lastIndex, read at once by the caller). One scan of the length
 * varint, capped at five bytes, never past the head.
 */
let lastNameEnd = 0;
function nameStart(head: Uint8Array): number {
  if (head.length < 4 || head[0] !== 0x08 || (head[1] as number) < 1 || (head[1] as number) > IS_SYMLINK || head[2] !== 0x12) return -1;
  let at = 3;
  let len = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (at >= head.length) return -1;
    const b = head[at++] as number;
    len += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) {
      if (at + len > head.length) return -1;
      lastNameEnd = at + len;
      return at;
    }
  }
  return -1;
}

/** The path (the child's name) a kept head carries (headIsKept), or undefined for any other head. */
export function headName(head: Uint8Array): string | undefined {
  const at = nameStart(head);
  if (at < 0) return undefined;
  return Buffer.from(head.buffer, head.byteOffset + at, lastNameEnd - at).toString('utf8');
}

/**
 * A tail ends `80 01 policy 90 01 flags`, each one byte (storage policy ids
 * and the flags written are below 128): the policy byte's offset, or -1 for
 * a tail not of that shape.
 */
function policyOffset(tail: Uint8Array): number {
  const n = tail.length;
  return n >= 6 && tail[n - 6] === 0x80 && tail[n - 5] === 0x01 && tail[n - 3] === 0x90 && tail[n - 2] === 0x01 && (tail[n - 4] as number) < 0x80 ? n - 4 : -1;
}

/** The storage policy a tail carries, or undefined for a tail not of the expected shape. */
export function tailPolicy(tail: Uint8Array): number | undefined {
  const at = policyOffset(tail);
  return at < 0 ? undefined : (tail[at] as number);
}

/** A copy of a tail with another storage policy (below 128), or undefined for a tail not of the expected shape. */
export function withTailPolicy(tail: Uint8Array, policy: number): Buffer | undefined {
  const at = policyOffset(tail);
  if (at < 0 || policy < 0 || policy >= 0x80) return undefined;
  const copy = Buffer.from(tail);
  copy[at] = policy;
  return copy;
}
