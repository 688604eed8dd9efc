import { chargeBlocks } from '../quota/file-charge';
import { BlockState, type Block, type LocatedBlock, type Location } from '../domain/located-blocks';
import { ioError } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkTraverse } from '../security/permission-checker';
import { prefixText } from '../tx/path-resolver';
import { blockById, fileBlockReads, liveAfter, placeReplicas } from '../blocks/block-ops-support';
import type { BlockRef } from '../domain/located-blocks';
import type { RetryKey } from '../domain/retry-key';
import { loadFileBlocks } from '../blocks/file-blocks';
import { checkLease, checkLeaseOfInode } from '../blocks/lease-check';
import { checkCount, MAX_NAMED_DATANODES } from '../blocks/request-limits';
import type { OpContext } from '../tx/op-context';
import type { WriteContext } from '../tx/tx-contexts';
import { resolveTargetRows } from './resolve-target';
import { effectiveStoragePolicy, prefersSharedStorage } from '../domain/storage-policies';

/**
 * The file a block belongs to. A block never changes files, so this read
 * needs no lock; everything else about the block is read again under the
 * file's lock (`blockUnderConstruction`).
 */
async function ownerOf(ctx: OpContext, block: BlockRef): Promise<number> {
  const row = await blockById(ctx, block.blockId);
  if (!row) throw ioError(`Block blk_${block.blockId} does not exist`);
  return row.inodeId;
}

/** The block as it is now, read under its file's exclusive lock; it must still be being written. */
async function blockUnderConstruction(tx: WriteContext, inodeId: number, blockId: number): Promise<Block> {
  const row = (await tx.run(tx.dal.blocks.findByIdBatched([blockId])))[0];
  if (!row || row.inodeId !== inodeId) throw ioError(`Block blk_${blockId} does not exist`);
  if (row.state !== BlockState.UnderConstruction && row.state !== BlockState.UnderRecovery) {
    throw ioError(`blk_${row.blockId}_${row.genStamp} is not under Construction`);
  }
  return row;
}

/** HDFS refuses both pipeline steps in safe mode (a new generation stamp is a namespace change). */
const CLIENT_PIPELINE_STEP = { refuseInSafeMode: true } as const;

/**
 * A new generation stamp for a pipeline being rebuilt. The stored block
 * keeps its stamp until updatePipeline commits the new pipeline, as in HDFS.
 */
export async function updateBlockForPipeline(ctx: OpContext, block: BlockRef, clientName: string): Promise<LocatedBlock> {
  const inodeId = await ownerOf(ctx, block);
  return ctx.runner.writeInode('updateBlockForPipeline', inodeId, async (inode, tx) => {
    const file = checkLeaseOfInode(inode, clientName, inodeId);
    const row = await blockUnderConstruction(tx, file.id, block.blockId);
    const genStamp = await ctx.nextGenerationStamp(Math.max(row.genStamp, block.genStamp));
    return { block: { ...row, genStamp, numBytes: block.numBytes }, offset: -1, locations: [], corrupt: false };
  }, CLIENT_PIPELINE_STEP);
}

export interface NewPipeline {
  readonly datanodeUuid: string;
  readonly storageId: string;
}

/**
 * Commits a rebuilt pipeline: the block's new stamp and length, and its new
 * datanodes. At most once (Hadoop's @AtMostOnce): a retry of a committed
 * call gets its answer, not "to an older state".
 */
export async function updatePipeline(ctx: OpContext, clientName: string, oldBlock: BlockRef, newBlock: BlockRef, nodes: readonly NewPipeline[], retryKey?: RetryKey): Promise<void> {
  const inodeId = await ownerOf(ctx, oldBlock);
  await ctx.runner.writeInode('updatePipeline', inodeId, async (inode, tx) => {
    checkLeaseOfInode(inode, clientName, inodeId);
    const row = await blockUnderConstruction(tx, inodeId, oldBlock.blockId);
    // As FSNamesystem.updatePipelineInternal: a newer stamp, and never fewer bytes than the block already has.
    if (newBlock.blockId !== oldBlock.blockId || newBlock.genStamp <= row.genStamp || newBlock.numBytes < row.numBytes) {
      throw ioError(`Update blk_${oldBlock.blockId}_${oldBlock.genStamp} (len = ${row.numBytes}, stored stamp ${row.genStamp}) to an older state: blk_${newBlock.blockId}_${newBlock.genStamp} (len = ${newBlock.numBytes})`);
    }
    tx.changes.add(tx.dal.blocks.updateByPk({ ...row, genStamp: newBlock.genStamp, numBytes: newBlock.numBytes, state: BlockState.UnderConstruction }));
    tx.changes.add(tx.dal.pipelines.deleteByBlock(row.inodeId, row.blockId));
    if (nodes.length > 0) {
      tx.changes.add(tx.dal.pipelines.insertBatched(nodes.map((n, position) => ({ inodeId: row.inodeId, blockId: row.blockId, position, datanodeUuid: n.datanodeUuid, storageId: n.storageId }))));
    }
  }, { ...CLIENT_PIPELINE_STEP, retryKey });
}

/** More datanodes for a pipeline that lost some (HDFS's replace-datanode-on-failure). */
export async function getAdditionalDatanode(
  ctx: OpContext,
  caller: Caller,
  src: string,
  block: BlockRef,
  existing: readonly Location[],
  exclude: readonly string[],
  count: number,
  clientName: string,
): Promise<LocatedBlock> {
  checkCount('getAdditionalDatanode existings', existing.length, MAX_NAMED_DATANODES);
  checkCount('getAdditionalDatanode excludes', exclude.length, MAX_NAMED_DATANODES);
  checkCount('getAdditionalDatanode numAdditionalNodes', count, MAX_NAMED_DATANODES);
  const path = parsePath(src);
  return ctx.runner.read('getAdditionalDatanode', async (r) => {
    const resolved = await resolveTargetRows(r, caller, path);
    const file = await checkLease(r, resolved.target, clientName, path.text);
    const chosen = await placeReplicas(ctx, r, path.text, Date.now(), {
      count,
      required: count,
      blockSize: 0,
      exclude: new Set([...exclude, ...existing.map((e) => e.datanode.uuid)]),
      favored: [],
      shared: prefersSharedStorage(effectiveStoragePolicy(resolved.rows.map((row) => row.storagePolicy))),
    });
    const fb = await loadFileBlocks(r, file.id, liveAfter(ctx, Date.now()));
    const row = fb.blocks.find((b) => b.blockId === block.blockId);
    if (!row) throw ioError(`Block blk_${block.blockId} does not belong to ${path.text}`);
    return { block: { ...row, genStamp: block.genStamp, numBytes: block.numBytes }, offset: -1, locations: [...existing, ...chosen], corrupt: false };
  });
}

/** Gives up the last block (the client could not build a pipeline for it). */
export async function abandonBlock(ctx: OpContext, caller: Caller, src: string, block: BlockRef, clientName: string): Promise<void> {
  const path = parsePath(src);
  await ctx.runner.write('abandonBlock', [{ path, parent: 'none', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    checkTraverse(caller, lp.rows, path.components.length, (d) => prefixText(path, d));
    const file = await checkLease(tx, lp.target, clientName, path.text);
    const fb = await loadFileBlocks(tx, file.id, liveAfter(ctx, tx.now));
    const last = fb.blocks[fb.blocks.length - 1];
    if (!last || last.blockId !== block.blockId) return; // already abandoned: a retry
    if (last.state !== BlockState.UnderConstruction) throw ioError(`Cannot abandon blk_${block.blockId}: it is not under construction`);
    await chargeBlocks(tx, lp.rows, path, file, fb.blocks, fb.blocks.slice(0, -1));
    tx.changes.add(tx.dal.blocks.deleteByPk(last));
    tx.changes.add(tx.dal.pipelines.deleteByBlock(file.id, last.blockId));
  }, { reads: fileBlockReads(ctx) });
}

/** hflush/hsync: records the length the client has made visible in the last block, and so the file's. */
export async function fsync(ctx: OpContext, caller: Caller, src: string, clientName: string, lastBlockLength: number): Promise<void> {
  const path = parsePath(src);
  await ctx.runner.write('fsync', [{ path, parent: 'none', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    checkTraverse(caller, lp.rows, path.components.length, (d) => prefixText(path, d));
    const file = await checkLease(tx, lp.target, clientName, path.text);
    if (lastBlockLength <= 0) return;
    const fb = await loadFileBlocks(tx, file.id, liveAfter(ctx, tx.now));
    const last = fb.blocks[fb.blocks.length - 1];
    if (!last || last.state !== BlockState.UnderConstruction) return;
    tx.changes.add(tx.dal.blocks.updateByPk({ ...last, numBytes: lastBlockLength }));
    // Other clients' getFileInfo sees it, as INodeFile.computeFileSize(true, false) counts the last block being written.
    const length = fb.blocks.slice(0, -1).reduce((n, b) => n + b.numBytes, 0) + lastBlockLength;
    if (length !== file.length) tx.changes.update(file, { ...file, length });
  }, { reads: lastBlockLength > 0 ? fileBlockReads(ctx) : undefined });
}
