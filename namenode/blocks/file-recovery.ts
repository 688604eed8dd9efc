import { deleteBlockByPk, deletePipelinesByInodesBatched, selectFinalizedReplicasOfBlock, updateBlockByPk } from '../dal/block-dal';
import { BlockState, type BlockRow } from '../dal/block-row';
import { COMMAND_KIND, enqueueFileBlocks, insertCommand } from '../dal/datanode-dal';
import type { InodeRow } from '../dal/inode-row';
import { deleteEmptyLeasesByHolder, deleteLeasePathsByInodesBatched } from '../dal/lease-dal';
import type { OpContext } from '../ops/op-context';
import { nextGenerationStamp } from '../tx/generation-stamps';
import type { WriteContext } from '../tx/transaction-runner';
import { finalizedCount, isEmptyUnreported, liveAfter, settle } from './block-ops-support';
import { loadFileBlocks, type FileBlocks } from './file-blocks';

export type RecoveryOutcome = 'closed' | 'recovering' | 'waiting';

/**
 * Lease recovery of a file whose writer is gone (HDFS's internalReleaseLease):
 * a file whose blocks are all complete is closed; an empty last block that
 * no datanode ever received is dropped; finalized replicas of the last block
 * fix its length; otherwise every datanode holding the unfinished block is
 * told to finalize its copy at a new generation stamp (block recovery), and
 * a later round closes the file at the shortest length they report — so
 * the file reads back up to its last complete data, never past it.
 */
export async function recoverFile(ctx: OpContext, file: InodeRow, tx: WriteContext): Promise<RecoveryOutcome> {
  const fb = await loadFileBlocks(tx.queryMany, file.id, liveAfter(ctx, tx.now));
  const blocks = fb.blocks.map((b) => settle(ctx, fb, b));
  const last = blocks[blocks.length - 1];
  for (const b of blocks.slice(0, -1)) if (b.state !== BlockState.Complete) return 'waiting';
  if (!last || last.state === BlockState.Complete) return close(file, blocks, fb, tx);
  if (last.state === BlockState.Committed && isEmptyUnreported(fb, last)) {
    tx.changes.add(deleteBlockByPk(last));
    return close(file, blocks.slice(0, -1), fb, tx);
  }
  // Committed by a writer that then died before any copy was finalized: the copies are still
  // being written on the datanodes, so it is recovered like a block under construction (HDFS
  // would wait for them forever).
  if (last.state === BlockState.Committed && finalizedCount(fb, last) > 0) return 'waiting';
  if (last.state === BlockState.UnderRecovery) return finishRecovery(ctx, file, blocks, fb, last, tx);
  const finalized = (fb.replicas.get(last.blockId) ?? []).length;
  const reportedAny = finalized > 0 || (fb.pipeline.get(last.blockId) ?? []).length > 0;
  if (last.numBytes === 0 && !reportedAny) {
    tx.changes.add(deleteBlockByPk(last));
    return close(file, blocks.slice(0, -1), fb, tx);
  }
  if (finalized > 0) return commitAtShortest(file, blocks, fb, last, await finalizedLengths(tx, last, last.genStamp), tx);
  const holders = (fb.pipeline.get(last.blockId) ?? []).map((l) => l.datanode.uuid);
  if (holders.length === 0) return 'waiting';
  const recoveryStamp = await nextGenerationStamp(ctx.db, last.genStamp);
  tx.changes.add(updateBlockByPk({ ...last, state: BlockState.UnderRecovery }));
  for (const uuid of holders) {
    tx.changes.add(
      insertCommand({ datanodeUuid: uuid, blockId: last.blockId, kind: COMMAND_KIND.Recover, genStamp: recoveryStamp, numBytes: last.numBytes, targets: holders.join(',') }, tx.now),
    );
  }
  return 'recovering';
}

/**
 * Recovery is over when every live datanode of the block's pipeline has
 * reported its copy finalized at a newer generation stamp; a dead one is
 * not waited for.
 */
async function finishRecovery(ctx: OpContext, file: InodeRow, blocks: readonly BlockRow[], fb: FileBlocks, last: BlockRow, tx: WriteContext): Promise<RecoveryOutcome> {
  const reports = await finalizedLengths(tx, last, last.genStamp + 1);
  const cutoff = liveAfter(ctx, tx.now);
  const expected = (fb.pipeline.get(last.blockId) ?? []).filter((l) => l.datanode.state !== 3 && l.datanode.lastHeartbeat > cutoff);
  if (reports.length === 0 || !expected.every((h) => reports.some((r) => r.datanodeUuid === h.datanode.uuid))) return 'recovering';
  return commitAtShortest(file, blocks, fb, last, reports, tx);
}

/** Fixes the block at the shortest finalized copy; longer or older copies are invalidated. */
function commitAtShortest(
  file: InodeRow,
  blocks: readonly BlockRow[],
  fb: FileBlocks,
  last: BlockRow,
  lengths: readonly { datanodeUuid: string; genStamp: number; numBytes: number }[],
  tx: WriteContext,
): RecoveryOutcome {
  const length = Math.min(...lengths.map((l) => l.numBytes));
  const genStamp = Math.max(...lengths.map((l) => l.genStamp));
  for (const l of lengths) {
    if (l.numBytes !== length || l.genStamp !== genStamp) {
      tx.changes.add(insertCommand({ datanodeUuid: l.datanodeUuid, blockId: last.blockId, kind: COMMAND_KIND.Invalidate, genStamp: l.genStamp, numBytes: l.numBytes, targets: '' }, tx.now));
    }
  }
  const fixed: BlockRow = { ...last, genStamp, numBytes: length, state: BlockState.Complete };
  tx.changes.add(updateBlockByPk(fixed));
  return close(file, [...blocks.slice(0, -1), fixed], fb, tx);
}

async function finalizedLengths(tx: WriteContext, block: BlockRow, minGenStamp: number) {
  const rows = await tx.query(selectFinalizedReplicasOfBlock(block.inodeId, block.blockId, minGenStamp));
  return rows.map((r) => ({ datanodeUuid: String(r['datanode_uuid']), genStamp: Number(r['generation_stamp']), numBytes: Number(r['num_bytes']) }));
}

function close(file: InodeRow, blocks: readonly BlockRow[], fb: FileBlocks, tx: WriteContext): RecoveryOutcome {
  // A pipeline that lost datanodes leaves blocks short of copies: the replication monitor tops them up.
  if (blocks.some((b) => (fb.replicas.get(b.blockId)?.length ?? 0) < file.replication)) tx.changes.add(enqueueFileBlocks(file.id, tx.now));
  for (const b of blocks) if (b.state !== BlockState.Complete) tx.changes.add(updateBlockByPk({ ...b, state: BlockState.Complete }));
  const length = blocks.reduce((n, b) => n + b.numBytes, 0);
  tx.changes.update(file, { ...file, ucClient: null, ucMachine: null, length, mtime: tx.now });
  tx.changes.add(deletePipelinesByInodesBatched([file.id]));
  tx.changes.add(deleteLeasePathsByInodesBatched([file.id]));
  if (file.ucClient) tx.changes.add(deleteEmptyLeasesByHolder(file.ucClient));
  return 'closed';
}
