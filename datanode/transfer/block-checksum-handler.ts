import { createHash } from 'node:crypto';
import type { Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { int64ToNumber } from '../../protocol/long-values';
import type { ReplicaReader } from '../store/block-store';
import { chunkCount, computeChunkChecksums } from '../../protocol/datatransfer/checksum';
import { sendResponse } from './responses';
import type { StreamReader } from '../../protocol/datatransfer/stream-reader';
import type { TransferContext } from './transfer-context';
import { blockAccessAllowed } from './block-token-check';
import { findReplica } from '../store/find-replica';

const { Status } = hadoop.hdfs;

/**
 * BLOCK_CHECKSUM: the MD5 of the block's chunk checksums, concatenated as
 * stored (4 bytes BE each) — what Hadoop's MD5MD5CRC file checksum and the Go
 * client's `checksum` combine. A requested length shorter than the replica
 * (the last block of a file being written) covers only its chunks, the last
 * one recomputed over the partial data.
 */
export async function handleBlockChecksum(ctx: TransferContext, socket: Socket, reader: StreamReader): Promise<void> {
  const op = await reader.message(hadoop.hdfs.OpBlockChecksumProto);
  if (!(await blockAccessAllowed(ctx, socket, op.header, 'READ'))) return;
  const block = op.header.block;
  const blockId = int64ToNumber(block.blockId);
  if (op.blockChecksumOptions?.blockChecksumType === hadoop.hdfs.BlockChecksumTypeProto.COMPOSITE_CRC) {
    await sendResponse(socket, { status: Status.ERROR_UNSUPPORTED, message: 'COMPOSITE_CRC block checksums are not supported' });
    return;
  }
  const replica = await findReplica(ctx.store, blockId, int64ToNumber(block.generationStamp));
  if (!replica) {
    await sendResponse(socket, { status: Status.ERROR, message: `replica of block ${blockId} not found` });
    return;
  }
  const requested = block.numBytes === undefined || block.numBytes === null ? replica.numBytes : int64ToNumber(block.numBytes);
  if (requested < 0 || requested > replica.numBytes) {
    await sendResponse(socket, { status: Status.ERROR, message: `block ${blockId} has ${replica.numBytes} bytes, not ${requested}` });
    return;
  }
  const opened = await ctx.store.openReader(replica);
  try {
    const crcs = await checksumsUpTo(opened, requested);
    await sendResponse(socket, {
      status: Status.SUCCESS,
      checksumResponse: {
        bytesPerCrc: replica.checksum.bytesPerChecksum,
        crcPerBlock: chunkCount(replica.numBytes, replica.checksum.bytesPerChecksum),
        blockChecksum: createHash('md5').update(crcs).digest(),
        crcType: replica.checksum.type,
      },
    });
  } finally {
    await opened.close();
  }
}

async function checksumsUpTo(replica: ReplicaReader, length: number): Promise<Buffer> {
  const { bytesPerChecksum } = replica.info.checksum;
  const fullChunks = Math.floor(length / bytesPerChecksum);
  const stored = await replica.readChecksums(0, fullChunks);
  const partial = length - fullChunks * bytesPerChecksum;
  if (partial === 0) return stored;
  const tail = await replica.readData(fullChunks * bytesPerChecksum, partial);
  return Buffer.concat([stored, computeChunkChecksums(replica.info.checksum, tail)]);
}
