import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import type Long from 'long';
import { hadoop } from '../../protocol/generated/hadoop';
import { int64ToBigInt, int64ToNumber } from '../../protocol/long-values';
import type { ReplicaReader } from '../store/block-store';
import { CHECKSUM_SIZE, chunkCount, computeChunkChecksums } from '../../protocol/datatransfer/checksum';
import { CrcComposer, StripeAlignmentError } from '../../protocol/datatransfer/crc-composer';
import { sendResponse } from './responses';
import type { StreamReader } from '../../protocol/datatransfer/stream-reader';
import type { TransferContext } from './transfer-context';
import { blockAccessAllowed } from './block-token-check';
import { findReplica } from '../store/find-replica';

const { Status } = hadoop.hdfs;
const { MD5CRC, COMPOSITE_CRC } = hadoop.hdfs.BlockChecksumTypeProto;

/**
 * BLOCK_CHECKSUM, as Hadoop's DataXceiver.blockChecksum with its
 * ReplicatedBlockChecksumComputer (BlockChecksumHelper):
 * * MD5CRC: the MD5 of the block's stored chunk checksums (4 bytes BE
 *   each) — what the MD5MD5CRC file checksum combines. A requested length
 *   shorter than the replica covers only its chunks, the last one
 *   recomputed over the partial data.
 * * COMPOSITE_CRC: the chunk CRCs composed into one CRC per stripe
 *   (stripeLength 0 or past the data: one for all of it), the CRC of the
 *   bytes themselves.
 * The length is the block's numBytes in the request (absent: 0, as
 * Hadoop reads it), at most the replica's; crcPerBlock always counts the
 * replica's stored chunks.
 */
export async function handleBlockChecksum(ctx: TransferContext, socket: Socket, reader: StreamReader): Promise<void> {
  const op = await reader.message(hadoop.hdfs.OpBlockChecksumProto);
  if (!(await blockAccessAllowed(ctx, socket, op.header, 'READ'))) return;
  const block = op.header.block;
  const blockId = int64ToBigInt(block.blockId);
  const replica = blockId <= BigInt(Number.MAX_SAFE_INTEGER) ? await findReplica(ctx.store, Number(blockId), int64ToNumber(block.generationStamp ?? 0)) : undefined;
  if (!replica) {
    await sendResponse(socket, { status: Status.ERROR, message: `Replica not found for blk_${blockId}` });
    return;
  }
  const askedStamp = int64ToBigInt(block.generationStamp ?? 0);
  if (askedStamp > BigInt(replica.generationStamp)) {
    await sendResponse(socket, { status: Status.ERROR, message: `replica.getGenerationStamp() < block.getGenerationStamp(), block=blk_${blockId}_${askedStamp}, replica GS ${replica.generationStamp}` });
    return;
  }
  const visible = replica.numBytes;
  const requested = clampTo(block.numBytes ?? 0, visible);
  // Hadoop's proto2 reader turns an unknown enum value into the default, MD5CRC.
  const type = op.blockChecksumOptions?.blockChecksumType === COMPOSITE_CRC ? COMPOSITE_CRC : MD5CRC;
  const stripeAsked = op.blockChecksumOptions?.stripeLength ?? 0;
  const opened = await ctx.store.openReader(replica);
  try {
    const blockChecksum = type === COMPOSITE_CRC ? await compositeCrc(opened, requested, clampTo(stripeAsked, requested)) : await md5Crc(opened, requested);
    await sendResponse(socket, {
      status: Status.SUCCESS,
      checksumResponse: {
        bytesPerCrc: replica.checksum.bytesPerChecksum,
        crcPerBlock: chunkCount(visible, replica.checksum.bytesPerChecksum),
        blockChecksum,
        crcType: replica.checksum.type,
        blockChecksumOptions: { blockChecksumType: type, stripeLength: stripeAsked },
      },
    });
  } catch (err) {
    if (!(err instanceof StripeAlignmentError)) throw err;
    await sendResponse(socket, { status: Status.ERROR, message: err.message });
  } finally {
    await opened.close();
  }
}

/** A uint64 from the wire as a number no greater than `limit` (so a hostile 2^64-1 is just "everything"). */
function clampTo(value: number | Long, limit: number): number {
  const big = int64ToBigInt(value);
  return big > BigInt(limit) ? limit : Number(big);
}

async function md5Crc(replica: ReplicaReader, requested: number): Promise<Buffer> {
  const { numBytes, checksum } = replica.info;
  const md5 = createHash('md5');
  if (requested < numBytes) {
    md5.update(await replica.readChecksums(0, Math.floor(requested / checksum.bytesPerChecksum)));
    const partial = await partialChunkCrc(replica, requested);
    if (partial) md5.update(partial);
  } else {
    md5.update(await replica.readChecksums(0, chunkCount(numBytes, checksum.bytesPerChecksum)));
  }
  return md5.digest();
}

async function compositeCrc(replica: ReplicaReader, length: number, stripe: number): Promise<Buffer> {
  const { numBytes, checksum } = replica.info;
  const bpc = checksum.bytesPerChecksum;
  const composer = new CrcComposer(checksum.type, bpc, stripe <= 0 ? length : stripe);
  const fullChunks = Math.floor(length / bpc);
  composer.updateAll(await replica.readChecksums(0, fullChunks), bpc);
  const partial = length % bpc;
  if (partial > 0) {
    // The whole replica's last chunk has its CRC stored; a shorter request's is computed.
    const crc = length < numBytes ? await partialChunkCrc(replica, length) : await replica.readChecksums(fullChunks, 1);
    if (crc?.length === CHECKSUM_SIZE) composer.update(crc.readUInt32BE(0), partial);
  }
  return composer.digest();
}

/** BlockChecksumComputer.crcPartialBlock: the checksum of the chunk `length` ends inside, over its bytes up to `length`. */
async function partialChunkCrc(replica: ReplicaReader, length: number): Promise<Buffer | undefined> {
  const { checksum } = replica.info;
  const partial = length % checksum.bytesPerChecksum;
  if (partial === 0) return undefined;
  return computeChunkChecksums(checksum, await replica.readData(length - partial, partial));
}
