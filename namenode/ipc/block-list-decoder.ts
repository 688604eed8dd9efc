import Long from 'long';
import { int64ToNumber, type Int64 } from '../../protocol/long-values';
import type { ReportedReplica } from '../domain/datanode-messages';
import { illegalArgument } from '../errors';

/** HdfsServerConstants.ReplicaState: only FINALIZED (0) replicas are complete. */
const FINALIZED = 0;

/**
 * The most replicas one storage's report may carry. HDFS sends one message
 * per storage once a datanode holds more than dfs.blockreport.split.threshold
 * (1,000,000) blocks; a count beyond it is not a report but an attack on the
 * namenode's memory.
 */
export const MAX_REPORTED_BLOCKS = 1_000_000;

/** Longs before the first block, and the -1 triple between the finalized and the other replicas. */
const HEADER_LONGS = 2;
const DELIMITER_LONGS = 3;
/** A block is four varints of at least one byte each. */
const MIN_BUFFER_BYTES_PER_BLOCK = 4;

/**
 * Hadoop's BlockListAsLongs in its two encodings.
 *
 * Legacy longs (StorageBlockReportProto.blocks):
 * ```
 *  [numFinalized][numUnderConstruction]
 *  numFinalized × [blockId][numBytes][genStamp]
 *  [-1][-1][-1]
 *  numUnderConstruction × [blockId][numBytes][genStamp][replicaState]
 * ```
 * Buffers (blocksBuffers, numberOfBlocks): each block as four varints —
 * `blockId` zig-zag (writeSInt64NoTag), then `numBytes genStamp
 * replicaState` plain — blocks back to back over one or more buffers.
 *
 * The counts come from the sender: both are checked against the data
 * actually present and MAX_REPORTED_BLOCKS before anything loops or
 * allocates (Hadoop's LongsDecoder and BufferDecoder trust them).
 */
export function decodeBlockList(longs: readonly Int64[], buffers: readonly Uint8Array[], numberOfBlocks: number): ReportedReplica[] {
  if (buffers.length > 0) return decodeBuffers(buffers, numberOfBlocks);
  const signed = (v: Int64 | undefined): number => (v === undefined ? 0 : typeof v === 'number' ? v : Long.fromValue(v).toSigned().toNumber());
  const finalized = signed(longs[0]);
  const uc = signed(longs[1]);
  checkCount(finalized, uc, longs.length);
  // The -1 delimiters arrive as uint64 2^64-1: read the longs as signed.
  return decodeLongs(longs.map(signed), finalized, uc);
}

function refuse(message: string): never {
  throw illegalArgument(`Invalid block report: ${message}`);
}

function checkCount(finalized: number, uc: number, length: number): void {
  if (!Number.isSafeInteger(finalized) || !Number.isSafeInteger(uc) || finalized < 0 || uc < 0) refuse(`counts ${finalized} and ${uc}`);
  if (finalized + uc > MAX_REPORTED_BLOCKS) refuse(`${finalized + uc} blocks, more than ${MAX_REPORTED_BLOCKS} in one storage report`);
  if (length === 0) return;
  const needed = HEADER_LONGS + 3 * finalized + (uc > 0 ? DELIMITER_LONGS + 4 * uc : 0);
  if (needed > length) refuse(`${finalized} finalized and ${uc} other blocks need ${needed} longs, the list has ${length}`);
}

function decodeLongs(v: readonly number[], finalized: number, uc: number): ReportedReplica[] {
  const out: ReportedReplica[] = [];
  let i = HEADER_LONGS;
  for (let k = 0; k < finalized; k++, i += 3) {
    out.push({ blockId: v[i] ?? 0, numBytes: v[i + 1] ?? 0, genStamp: v[i + 2] ?? 0, finalized: true });
  }
  i += DELIMITER_LONGS;
  for (let k = 0; k < uc; k++, i += 4) {
    out.push({ blockId: v[i] ?? 0, numBytes: v[i + 1] ?? 0, genStamp: v[i + 2] ?? 0, finalized: (v[i + 3] ?? 1) === FINALIZED });
  }
  return out;
}

function decodeBuffers(buffers: readonly Uint8Array[], count: number): ReportedReplica[] {
  const bytes = buffers.reduce((n, b) => n + b.length, 0);
  if (!Number.isSafeInteger(count) || count < 0) refuse(`numberOfBlocks ${count}`);
  if (count > MAX_REPORTED_BLOCKS) refuse(`${count} blocks, more than ${MAX_REPORTED_BLOCKS} in one storage report`);
  if (count * MIN_BUFFER_BYTES_PER_BLOCK > bytes) refuse(`${count} blocks cannot fit in ${bytes} bytes`);
  const out: ReportedReplica[] = [];
  for (const buf of buffers) {
    let pos = 0;
    const next = (zigzag = false): number => {
      let lo = 0;
      let hi = 0;
      for (let shift = 0; shift < 64; shift += 7) {
        const byte = buf[pos++];
        if (byte === undefined) refuse('buffer ends inside a varint');
        if (shift < 28) lo |= (byte & 0x7f) << shift;
        else if (shift === 28) {
          lo |= (byte & 0x0f) << 28;
          hi |= (byte & 0x7f) >> 4;
        } else hi |= (byte & 0x7f) << (shift - 32);
        if ((byte & 0x80) === 0) break;
      }
      const v = new Long(lo, hi, true);
      return zigzag ? int64ToNumber(v.shiftRightUnsigned(1).xor(v.and(1).negate()).toSigned()) : int64ToNumber(v);
    };
    while (pos < buf.length && out.length < count) {
      const blockId = next(true);
      const numBytes = next();
      const genStamp = next();
      const state = next();
      out.push({ blockId, numBytes, genStamp, finalized: state === FINALIZED });
    }
  }
  return out;
}
