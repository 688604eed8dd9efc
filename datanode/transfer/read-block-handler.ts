import type { Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { int64ToNumber } from '../../protocol/long-values';
import { CorruptReplicaError, sendPackets } from './block-sender';
import { ChecksumType } from '../../protocol/datatransfer/checksum';
import { sendResponse } from './responses';
import type { StreamReader } from '../../protocol/datatransfer/stream-reader';
import type { TransferContext } from './transfer-context';
import { blockAccessAllowed } from './block-token-check';
import { findReplica } from '../store/find-replica';

const { Status } = hadoop.hdfs;
/** How long to wait for the optional ClientReadStatusProto after a read. */
const READ_STATUS_WAIT_MS = 5_000;

/**
 * READ_BLOCK: any offset and length; the stream starts at the chunk that
 * holds `offset` (chunkOffset in the response) so the reader can verify
 * whole chunks, and the client skips to its offset.
 */
export async function handleReadBlock(ctx: TransferContext, socket: Socket, reader: StreamReader): Promise<void> {
  const op = await reader.message(hadoop.hdfs.OpReadBlockProto);
  if (!(await blockAccessAllowed(ctx, socket, op.header.baseHeader, 'READ'))) return;
  const block = op.header.baseHeader.block;
  const blockId = int64ToNumber(block.blockId);
  const offset = int64ToNumber(op.offset);
  const wanted = int64ToNumber(op.len);
  // The reader's length of the block (the namenode's): a shared store re-reads a replica it knows shorter.
  const replica = await findReplica(ctx.store, blockId, int64ToNumber(block.generationStamp), int64ToNumber(block.numBytes ?? 0));
  if (!replica || replica.generationStamp < int64ToNumber(block.generationStamp)) {
    await sendResponse(socket, { status: Status.ERROR, message: `replica of block ${blockId} not found` });
    return;
  }
  if (offset < 0 || wanted < 0 || offset > replica.numBytes || (offset === replica.numBytes && wanted > 0)) {
    await sendResponse(socket, { status: Status.ERROR, message: `offset ${offset} is beyond block ${blockId} of ${replica.numBytes} bytes` });
    return;
  }
  const { type, bytesPerChecksum } = replica.checksum;
  const withChecksums = op.sendChecksums !== false;
  const start = Math.floor(offset / bytesPerChecksum) * bytesPerChecksum;
  // Whole chunks only: a reader verifies each chunk against its stored checksum.
  const end = Math.min(replica.numBytes, Math.ceil((offset + wanted) / bytesPerChecksum) * bytesPerChecksum);
  const opened = await ctx.store.openReader(replica);
  try {
    await sendResponse(socket, {
      status: Status.SUCCESS,
      readOpChecksumInfo: {
        checksum: { type: withChecksums ? type : ChecksumType.NULL, bytesPerChecksum },
        chunkOffset: start,
      },
    });
    await sendPackets(socket, opened, { start, end, withChecksums });
  } catch (err) {
    if (!(err instanceof CorruptReplicaError)) throw err;
    ctx.logger.warn({ blockId }, 'corrupt replica found while reading');
    ctx.events.corrupt(replica);
    // Cut the stream: the reader fails over to another replica.
    socket.destroy();
    return;
  } finally {
    await opened.close();
  }
  // Without a status the stream position is unknown: no further op on this connection.
  if (!(await readClientStatus(reader))) socket.end();
}

/** Hadoop clients report CHECKSUM_OK or an error after a full read; the Go client just closes. */
async function readClientStatus(reader: StreamReader): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), READ_STATUS_WAIT_MS)));
  try {
    return await Promise.race([reader.message(hadoop.hdfs.ClientReadStatusProto).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
