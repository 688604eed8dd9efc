import type { Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { int64ToNumber } from '../../protocol/long-values';
import { transferReplica } from './replica-transfer';
import { sendResponse } from './responses';
import type { StreamReader } from '../../protocol/datatransfer/stream-reader';
import { checkTargets } from './target-check';
import type { TransferContext } from './transfer-context';
import { blockAccessAllowed } from './block-token-check';

const { Status } = hadoop.hdfs;

/** TRANSFER_BLOCK: a client asks this datanode to copy a replica to new pipeline members. */
export async function handleTransferBlock(ctx: TransferContext, socket: Socket, reader: StreamReader): Promise<void> {
  const op = await reader.message(hadoop.hdfs.OpTransferBlockProto);
  if (!(await blockAccessAllowed(ctx, socket, op.header.baseHeader, 'COPY'))) return;
  const block = op.header.baseHeader.block;
  try {
    await checkTargets(ctx, op.targets);
    await transferReplica(ctx.store, {
      poolId: block.poolId,
      blockId: int64ToNumber(block.blockId),
      targets: op.targets,
      targetStorageTypes: op.targetStorageTypes,
      targetStorageIds: op.targetStorageIds,
      // Hadoop uses the client's name so the target answers with a close-ack.
      clientName: op.header.clientName || 'nnfleet-transfer',
      connectTimeoutMs: ctx.connectTimeoutMs,
      socketTimeoutMs: ctx.socketTimeoutMs,
      token: ctx.blockKeys.issue(block.poolId, BigInt(block.blockId.toString()), ['WRITE']),
    });
    await sendResponse(socket, { status: Status.SUCCESS });
  } catch (err) {
    ctx.logger.warn({ err, blockId: block.blockId.toString() }, 'transfer failed');
    await sendResponse(socket, { status: Status.ERROR, message: err instanceof Error ? err.message : String(err) });
  }
}
