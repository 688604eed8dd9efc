import Long from 'long';
import { int64ToNumber, type Int64 } from '../../protocol/long-values';
import type { ReportedReplica } from '../domain/datanode-messages';

/** HdfsServerConstants.ReplicaState: only FINALIZED (0) replicas are complete. */
const FINALIZED = 0;

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
 */
export function decodeBlockList(longs: readonly Int64[], buffers: readonly Uint8Array[], numberOfBlocks: number): ReportedReplica[] {
  if (buffers.length > 0) return decodeBuffers(buffers, numberOfBlocks);
  // The -1 delimiters arrive as uint64 2^64-1: read the longs as signed.
  return decodeLongs(longs.map((v) => (typeof v === 'number' ? v : Long.fromValue(v).toSigned().toNumber())));
}

function decodeLongs(v: readonly number[]): ReportedReplica[] {
  const out: ReportedReplica[] = [];
  const finalized = v[0] ?? 0;
  const uc = v[1] ?? 0;
  let i = 2;
  for (let k = 0; k < finalized; k++, i += 3) {
    out.push({ blockId: v[i] ?? 0, numBytes: v[i + 1] ?? 0, genStamp: v[i + 2] ?? 0, finalized: true });
  }
  i += 3;
  for (let k = 0; k < uc; k++, i += 4) {
    out.push({ blockId: v[i] ?? 0, numBytes: v[i + 1] ?? 0, genStamp: v[i + 2] ?? 0, finalized: (v[i + 3] ?? 1) === FINALIZED });
  }
  return out;
}

function decodeBuffers(buffers: readonly Uint8Array[], count: number): ReportedReplica[] {
  const out: ReportedReplica[] = [];
  for (const buf of buffers) {
    let pos = 0;
    const next = (zigzag = false): number => {
      let lo = 0;
      let hi = 0;
      for (let shift = 0; shift < 64; shift += 7) {
        const byte = buf[pos++];
        if (byte === undefined) throw new Error('block report buffer ends inside a varint');
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
