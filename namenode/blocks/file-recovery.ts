import { CommandKind } from '../dal/command-repository';
import type { InodeRow } from '../dal/inode-row';
import type { FinalizedCopy } from '../dal/replica-repository';
import { isLive } from '../domain/datanode-info';
import { BlockState, type Block } from '../domain/located-blocks';
import type { OpContext } from '../tx/op-context';
import type { WriteContext } from '../tx/tx-contexts';
import { finalizedCount, isEmptyUnreported, liveAfter, settle } from './block-ops-support';
import { loadFileBlocks, type FileBlocks } from './file-blocks';
import { blocksBytes } from '../quota/file-charge';
import { quotaDirsAbove } from '../quota/ancestor-quotas';
import { applyUsageDelta } from '../quota/usage-ledger';
import { usageOf } from '../domain/quota';
import { liveGateways, onSharedStorage, strandedOnSharedStorage } from './shared-recovery';

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
  const fb = await loadFileBlocks(tx, file.id, liveAfter(ctx, tx.now));
  const blocks = fb.blocks.map((b) => settle(ctx, fb, b));
  const last = blocks[blocks.length - 1];
  for (const b of blocks.slice(0, -1)) if (b.state !== BlockState.Complete) return 'waiting';
  if (!last || last.state === BlockState.Complete) return close(file, blocks, fb, tx);
  if (last.state === BlockState.Committed && isEmptyUnreported(fb, last)) {
    tx.changes.add(tx.dal.blocks.deleteByPk(last));
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
    tx.changes.add(tx.dal.blocks.deleteByPk(last));
    return close(file, blocks.slice(0, -1), fb, tx);
  }
  if (finalized > 0) return commitAtShortest(file, blocks, fb, last, await finalizedLengths(tx, last, last.genStamp), tx);
  let holders = (fb.pipeline.get(last.blockId) ?? []).map((l) => l.datanode.uuid);
  if (holders.length === 0) return 'waiting';
  // Its gateways all dead: a live one recovers it from the store instead (one is enough: they share it).
  if (strandedOnSharedStorage(ctx, tx, fb, last)) {
    const [standIn] = await liveGateways(ctx, tx);
    if (standIn) holders = [standIn];
  }
  const recoveryStamp = await ctx.nextGenerationStamp(last.genStamp);
  tx.changes.add(tx.dal.blocks.updateByPk({ ...last, state: BlockState.UnderRecovery }));
  orderRecovery(tx, last, holders, recoveryStamp);
  return 'recovering';
}

function orderRecovery(tx: WriteContext, last: Block, holders: readonly string[], recoveryStamp: number): void {
  for (const uuid of holders) {
    tx.changes.add(
      ...tx.dal.commands.insert({ datanodeUuid: uuid, blockId: last.blockId, kind: CommandKind.Recover, genStamp: recoveryStamp, numBytes: last.numBytes, targets: holders }, tx.now),
    );
  }
}

/**
 * Recovery is over when every live datanode of the block's pipeline has
 * reported its copy finalized at a newer generation stamp; a dead one is
 * not waited for. A live holder is waited for only while its recovery
 * command is pending (handed out again until it reports): one that lost its
 * command (declared dead meanwhile, then back) would never answer, so the
 * copies that did answer close the file, as HDFS closes it with the
 * datanodes that took part. When none answered and no command is left, the
 * recovery is ordered again at a new stamp.
 */
async function finishRecovery(ctx: OpContext, file: InodeRow, blocks: readonly Block[], fb: FileBlocks, last: Block, tx: WriteContext): Promise<RecoveryOutcome> {
  const [reports, pending] = await tx.runAll([
    tx.dal.replicas.findFinalizedOfBlock(last.inodeId, last.blockId, last.genStamp + 1),
    tx.dal.commands.findRecoveryHolders(last.blockId),
  ]);
  const cutoff = liveAfter(ctx, tx.now);
  const expected = (fb.pipeline.get(last.blockId) ?? []).filter((l) => isLive(l.datanode, cutoff)).map((l) => l.datanode.uuid);
  const unanswered = expected.filter((uuid) => !reports.some((r) => r.datanodeUuid === uuid));
  if (unanswered.some((uuid) => pending.includes(uuid))) return 'recovering';
  if (reports.length > 0) return commitAtShortest(file, blocks, fb, last, reports, tx);
  if (strandedOnSharedStorage(ctx, tx, fb, last)) {
    // Waited for while a live gateway holds the command; handed to another when that one died too.
    const gateways = await liveGateways(ctx, tx);
    if (gateways.length === 0 || pending.some((uuid) => gateways.includes(uuid))) return 'recovering';
    orderRecovery(tx, last, gateways.slice(0, 1), await ctx.nextGenerationStamp(last.genStamp));
    return 'recovering';
  }
  if (unanswered.length === 0 || pending.length > 0) return 'recovering';
  orderRecovery(tx, last, unanswered, await ctx.nextGenerationStamp(last.genStamp));
  return 'recovering';
}

/** Fixes the block at the shortest finalized copy; longer or older copies are invalidated. */
async function commitAtShortest(
  file: InodeRow,
  blocks: readonly Block[],
  fb: FileBlocks,
  last: Block,
  lengths: readonly FinalizedCopy[],
  tx: WriteContext,
): Promise<RecoveryOutcome> {
  const length = Math.min(...lengths.map((l) => l.numBytes));
  const genStamp = Math.max(...lengths.map((l) => l.genStamp));
  // Recovered empty from shared storage (nothing of it reached the store): the block goes, with its empty object.
  const drop = length === 0 && onSharedStorage(fb, last);
  for (const l of lengths) {
    if (drop || l.numBytes !== length || l.genStamp !== genStamp) {
      tx.changes.add(...tx.dal.commands.insert({ datanodeUuid: l.datanodeUuid, blockId: last.blockId, kind: CommandKind.Invalidate, genStamp: l.genStamp, numBytes: l.numBytes, targets: [] }, tx.now));
    }
  }
  if (drop) {
    tx.changes.add(tx.dal.blocks.deleteByPk(last));
    return close(file, blocks.slice(0, -1), fb, tx);
  }
  // close() writes it: its stored row is not complete.
  const fixed: Block = { ...last, genStamp, numBytes: length, state: BlockState.Complete };
  return close(file, [...blocks.slice(0, -1), fixed], fb, tx);
}

const finalizedLengths = (tx: WriteContext, block: Block, minGenStamp: number): Promise<FinalizedCopy[]> =>
  tx.run(tx.dal.replicas.findFinalizedOfBlock(block.inodeId, block.blockId, minGenStamp));

async function close(file: InodeRow, blocks: readonly Block[], fb: FileBlocks, tx: WriteContext): Promise<RecoveryOutcome> {
  // The blocks now count their lengths: the quotas above get back what the last one held.
  const released = blocksBytes(blocks, file.blockSize) - blocksBytes(fb.blocks, file.blockSize);
  if (released !== 0) {
    const dirs = await quotaDirsAbove(tx, file);
    if (dirs.length > 0) await applyUsageDelta(tx, dirs, usageOf([{ namespace: 0, bytes: released, replication: file.replication, storagePolicy: file.storagePolicy }]));
  }
  // A pipeline that lost datanodes leaves blocks short of copies: the replication monitor tops them up.
  if (blocks.some((b) => (fb.replicas.get(b.blockId)?.length ?? 0) < file.replication)) tx.changes.add(tx.dal.replicationQueue.enqueueFile(file.id, tx.now));
  // Compared with the rows as stored: a block settled in memory (committed, now with its copies) is written too.
  const stored = new Map(fb.blocks.map((b) => [b.blockId, b.state]));
  for (const b of blocks) if (stored.get(b.blockId) !== BlockState.Complete) tx.changes.add(tx.dal.blocks.updateByPk({ ...b, state: BlockState.Complete }));
  const length = blocks.reduce((n, b) => n + b.numBytes, 0);
  tx.changes.update(file, { ...file, ucClient: null, ucMachine: null, length, mtime: tx.now });
  tx.changes.add(tx.dal.pipelines.deleteByInodesBatched([file.id]), tx.dal.leases.deletePathsByInodesBatched([file.id]));
  return 'closed';
}
