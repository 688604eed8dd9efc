import { hadoop } from '../../protocol/generated/hadoop';
import { putVarint, varintSize } from '../../protocol/ipc/varint-writer';
import type { FileStatus, FileType } from '../domain/file-status';

/*
 * HdfsFileStatusProto (without locations) written straight into a buffer:
 * no HdfsFileStatusProto object, no protobufjs Writer (one op object per
 * field). Shared by the hot answers that carry statuses: getListing's
 * plain page (listing-response-codec.ts) and getFileInfo /
 * getFileLinkInfo (file-info-response-codec.ts). The bytes are exactly what
 * protobufjs gives for `toStatusProto(s)` (fields in field-number order;
 * the codecs' unit tests compare them):
 *
 *   HdfsFileStatusProto      08 fileType | 12 len path | 18 length | 22 len (08 perm) |
 *                            2a len owner | 32 len group | 38 mtime | 40 atime |
 *                            [4a len symlink] | 50 replication | 58 blocksize |
 *                            68 fileId | [70 childrenNum] | 80 01 storagePolicy | 90 01 flags
 *
 * Two passes: measureStatus (the message's size, and its strings' UTF-8
 * lengths, once) then putStatus into a buffer sized from the measures.
 */

/**
 * FsPermissionExtension's ACL bit: Hadoop 3 namenodes still set it in the
 * permission for Hadoop 2 clients, beside the HAS_ACL flag Hadoop 3 reads.
 */
export const ACL_BIT = 1 << 12;

const FileTypeProto = hadoop.hdfs.HdfsFileStatusProto.FileType;
const HAS_ACL = hadoop.hdfs.HdfsFileStatusProto.Flags.HAS_ACL;
const FILE_TYPE: Readonly<Record<FileType, number>> = { directory: FileTypeProto.IS_DIR, file: FileTypeProto.IS_FILE, symlink: FileTypeProto.IS_SYMLINK };
const TWO_32 = 4294967296;

/** protobufjs's uint64 of a JS number: truncated, a negative one as its 64-bit two's complement. */
const uint64Bits = (v: number): bigint => BigInt.asUintN(64, BigInt(Math.trunc(v)));

function varint64Size(v: number): number {
  if (v < 0) return bigVarintSize(uint64Bits(v));
  if (v < TWO_32) return varintSize(v);
  // 2^32 and up (times in milliseconds, large lengths and ids): 5 bytes carry 35 bits, 7 more per byte.
  let n = 5;
  for (let x = Math.floor(Math.trunc(v) / 2 ** 35); x > 0; x = Math.floor(x / 0x80)) n++;
  return n;
}

function bigVarintSize(v: bigint): number {
  let n = 1;
  for (let x = v; x >= 0x80n; x >>= 7n) n++;
  return n;
}

/** int32: a negative value is sign-extended to ten bytes, as protobufjs (and Java) write it. */
const int32Size = (v: number): number => ((v | 0) < 0 ? 10 : varintSize(v));

function putVarint64(out: Buffer, at: number, value: number): number {
  if (value < 0) return putBigVarint(out, at, uint64Bits(value));
  // Below 2^32 the bit operations are exact and cheaper than division.
  if (value < TWO_32) return putVarint(out, at, value);
  const v = Math.trunc(value);
  let lo = v >>> 0;
  let hi = (v - lo) / TWO_32;
  while (hi > 0) {
    out[at++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  return putVarint(out, at, lo);
}

function putBigVarint(out: Buffer, at: number, value: bigint): number {
  let v = value;
  while (v >= 0x80n) {
    out[at++] = Number(v & 0x7fn) | 0x80;
    v >>= 7n;
  }
  out[at++] = Number(v);
  return at;
}

function putInt32(out: Buffer, at: number, value: number): number {
  return (value | 0) < 0 ? putBigVarint(out, at, BigInt.asUintN(64, BigInt(value | 0))) : putVarint(out, at, value);
}

/** UTF-8 lengths of one status's strings, measured once for both passes. */
export interface Measured {
  readonly size: number;
  readonly name: number;
  readonly owner: number;
  readonly group: number;
  readonly symlink: number;
}

/** Owner and group repeat down a page: measure each distinct one once. */
export class ByteLengths {
  #last = '';
  #lastBytes = 0;

  of(s: string): number {
    if (s !== this.#last) {
      this.#last = s;
      this.#lastBytes = utf8Length(s);
    }
    return this.#lastBytes;
  }
}

const permOf = (s: FileStatus): number => s.permission | (s.hasAcl ? ACL_BIT : 0);
export const lengthPrefixed = (n: number): number => varintSize(n) + n;

/** A status's measures; `owners` and `groups` remember the last length down a page (a single status needs none). */
export function measureStatus(s: FileStatus, owners?: ByteLengths, groups?: ByteLengths): Measured {
  const name = utf8Length(s.name);
  const owner = owners ? owners.of(s.owner) : utf8Length(s.owner);
  const group = groups ? groups.of(s.group) : utf8Length(s.group);
  const symlink = s.symlink === undefined ? -1 : utf8Length(s.symlink);
  const size =
    2 + // fileType: tag and a one-byte enum
    1 + lengthPrefixed(name) +
    1 + varint64Size(s.length) +
    1 + lengthPrefixed(1 + varintSize(permOf(s))) +
    1 + lengthPrefixed(owner) +
    1 + lengthPrefixed(group) +
    1 + varint64Size(s.mtime) +
    1 + varint64Size(s.atime) +
    (symlink < 0 ? 0 : 1 + lengthPrefixed(symlink)) +
    1 + varintSize(s.replication) +
    1 + varint64Size(s.blockSize) +
    1 + varint64Size(s.fileId) +
    (s.childrenNum === undefined ? 0 : 1 + int32Size(s.childrenNum)) +
    2 + varintSize(s.storagePolicy) +
    2 + varintSize(s.hasAcl ? HAS_ACL : 0);
  return { size, name, owner, group, symlink };
}

/** The bytes before modification_time (fields 1-6: type, path, length, permission, owner, group). */
export function statusHeadSize(s: FileStatus, m: Measured): number {
  return 2 + 1 + lengthPrefixed(m.name) + 1 + varint64Size(s.length) + 1 + lengthPrefixed(1 + varintSize(permOf(s))) + 1 + lengthPrefixed(m.owner) + 1 + lengthPrefixed(m.group);
}

/** modification_time's bytes: its tag and varint. */
export const mtimeFieldSize = (mtime: number): number => 1 + varint64Size(mtime);

/** modification_time's field written at `at`; returns the offset after it. */
export function putMtimeField(out: Buffer, at: number, mtime: number): number {
  out[at] = 0x38;
  return putVarint64(out, at + 1, mtime);
}

/**
 * UTF-8 length of a string. Names, owners and groups are short and mostly
 * ASCII: counted in JS, which is cheaper than a call into the runtime.
 */
function utf8Length(s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8');
  return n;
}

function putString(out: Buffer, at: number, s: string, bytes: number): number {
  const p = putVarint(out, at, bytes);
  // Equal lengths: all ASCII (utf8Length), copied in JS; else the runtime's UTF-8 writer.
  if (bytes !== s.length) return p + out.write(s, p, bytes, 'utf8');
  for (let i = 0; i < bytes; i++) out[p + i] = s.charCodeAt(i);
  return p + bytes;
}

export function putStatus(out: Buffer, start: number, s: FileStatus, m: Measured): number {
  let at = start;
  out[at++] = 0x08;
  out[at++] = FILE_TYPE[s.type];
  out[at++] = 0x12;
  at = putString(out, at, s.name, m.name);
  out[at++] = 0x18;
  at = putVarint64(out, at, s.length);
  const perm = permOf(s);
  out[at++] = 0x22;
  at = putVarint(out, at, 1 + varintSize(perm));
  out[at++] = 0x08;
  at = putVarint(out, at, perm);
  out[at++] = 0x2a;
  at = putString(out, at, s.owner, m.owner);
  out[at++] = 0x32;
  at = putString(out, at, s.group, m.group);
  out[at++] = 0x38;
  at = putVarint64(out, at, s.mtime);
  out[at++] = 0x40;
  at = putVarint64(out, at, s.atime);
  if (s.symlink !== undefined) {
    out[at++] = 0x4a;
    at = putString(out, at, s.symlink, m.symlink);
  }
  out[at++] = 0x50;
  at = putVarint(out, at, s.replication);
  out[at++] = 0x58;
  at = putVarint64(out, at, s.blockSize);
  out[at++] = 0x68;
  at = putVarint64(out, at, s.fileId);
  if (s.childrenNum !== undefined) {
    out[at++] = 0x70;
    at = putInt32(out, at, s.childrenNum);
  }
  out[at++] = 0x80;
  out[at++] = 0x01;
  at = putVarint(out, at, s.storagePolicy);
  out[at++] = 0x90;
  out[at++] = 0x01;
  return putVarint(out, at, s.hasAcl ? HAS_ACL : 0);
}
