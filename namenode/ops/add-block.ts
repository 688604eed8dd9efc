import { BlockState, type Block, type LocatedBlock } from '../domain/located-blocks';
import { ioError, NamesystemError } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkTraverse } from '../security/permission-checker';
import { prefixText } from '../tx/path-resolver';
import type { WriteContext } from '../tx/transaction-runner';
import { fileBlockReads, liveAfter, placeReplicas, settle, waitForReplicas } from '../blocks/block-ops-support';
import type { BlockRef } from '../domain/located-blocks';
import { loadFileBlocks, locate, type FileBlocks } from '../blocks/file-blocks';
import { checkLease } from '../blocks/lease-check';
import { checkCount, MAX_NAMED_DATANODES } from '../blocks/request-limits';
import type { OpContext } from '../tx/op-context';
import { chargeBlocks } from '../quota/file-charge';
import { effectiveStoragePolicy, prefersSharedStorage } from '../domain/storage-policies';

/** A datanode as a client names it in excludeNodes. */
export interface ExcludedDatanode {
  readonly uuid: string;
  /** ip:xferPort */
  readonly xferAddress: string;
}

export interface AddBlockRequest {
  readonly src: string;
  readonly clientName: string;
  readonly previous: BlockRef | undefined;
  /** Datanodes the client could not reach (each by uuid and by transfer address). */
  readonly exclude: readonly ExcludedDatanode[];
  readonly favored: readonly string[];
  readonly writer: string;
}

const isFullAndComplete = (b: Block, blockSize: number) => b.state === BlockState.Complete && b.numBytes >= blockSize;

const offsetOf = (blocks: readonly Block[], upTo: number) => blocks.slice(0, upTo).reduce((n, b) => n + b.numBytes, 0);

/** Commits the client's view of the last block: its final length, same generation. */
export function commitLast(fb: FileBlocks, last: Block, client: BlockRef, ctx: OpContext, tx: WriteContext): Block {
  if (last.blockId !== client.blockId) throw ioError(`Block ${client.blockId} is not the last block of the file (last is ${last.blockId})`);
  if (last.state === BlockState.UnderConstruction && client.genStamp !== last.genStamp) {
    throw ioError(`Commit block with mismatching GS. NN has blk_${last.blockId}_${last.genStamp}, client submits blk_${client.blockId}_${client.genStamp}`);
  }
  const committed = last.state === BlockState.UnderConstruction ? { ...last, numBytes: client.numBytes, state: BlockState.Committed } : last;
  const settled = settle(ctx, fb, committed);
  if (settled !== last) tx.changes.add(tx.dal.blocks.updateByPk(settled));
  if (settled.state === BlockState.Complete && last.state !== BlockState.Complete) tx.changes.add(tx.dal.pipelines.deleteByBlock(last.inodeId, last.blockId));
  return settled;
}

/**
 * Allocates the next block of a file being written and chooses its
 * pipeline, after committing the previous block. A retried call (same
 * previous, the new block still empty) gets the same block back.
 */
export function addBlock(ctx: OpContext, caller: Caller, req: AddBlockRequest): Promise<LocatedBlock> {
  return waitForReplicas(ctx, (watch) => addBlockOnce(ctx, caller, req, watch), () => false);
}

async function addBlockOnce(ctx: OpContext, caller: Caller, req: AddBlockRequest, watch: (inodeId: number) => void): Promise<LocatedBlock> {
  const path = parsePath(req.src);
  checkCount('addBlock excludeNodes', req.exclude.length, MAX_NAMED_DATANODES);
  checkCount('addBlock favoredNodes', req.favored.length, MAX_NAMED_DATANODES);
  return ctx.runner.write('addBlock', [{ path, parent: 'none', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    checkTraverse(caller, lp.rows, path.components.length, (d) => prefixText(path, d));
    const file = await checkLease(tx, lp.target, req.clientName, path.text);
    const fb = await loadFileBlocks(tx, file.id, liveAfter(ctx, tx.now));
    const blocks = [...fb.blocks];
    const last = blocks[blocks.length - 1];
    const prev = req.previous;
    // A retry whose first answer was lost: the block it created is still empty.
    if (last && last.state === BlockState.UnderConstruction && last.numBytes === 0) {
      const before = blocks[blocks.length - 2];
      if ((prev === undefined && (!before || isFullAndComplete(before, file.blockSize))) || (prev !== undefined && before?.blockId === prev.blockId)) {
        return locate(fb, last, offsetOf(blocks, blocks.length - 1));
      }
    }
    // HDFS's analyzeFileState, case 1: an append to a file whose last block is exactly full got no
    // block to continue, so its first addBlock names no previous block; nothing is left to commit.
    if (prev === undefined && last && !isFullAndComplete(last, file.blockSize)) throw ioError(`Cannot add a block to ${path.text}: previous block is missing but the file has ${blocks.length} block(s)`);
    if (prev !== undefined) {
      if (!last) throw ioError(`Cannot add a block to ${path.text}: the file has no block ${prev.blockId}`);
      blocks[blocks.length - 1] = commitLast(fb, last, prev, ctx, tx);
    }
    // Every block before the one just committed must be complete (HDFS's checkFileProgress).
    for (let i = 0; i < blocks.length - 1; i++) {
      const b = settle(ctx, fb, blocks[i] as Block);
      if (b.state !== BlockState.Complete) {
        watch(file.id);
        throw new NamesystemError('NotReplicatedYet', `Not replicated yet: ${path.text}`);
      }
      if (b !== blocks[i]) tx.changes.add(tx.dal.blocks.updateByPk(b));
    }
    const targets = await placeReplicas(ctx, tx, path.text, tx.now, {
      count: file.replication,
      required: ctx.config.minReplication,
      blockSize: file.blockSize,
      exclude: new Set(req.exclude.flatMap((d) => [d.uuid, d.xferAddress])),
      favored: req.favored,
      writer: req.writer,
      shared: prefersSharedStorage(effectiveStoragePolicy(lp.rows.map((r) => r.storagePolicy))),
    });
    const block: Block = {
      inodeId: file.id,
      index: blocks.length,
      blockId: await ctx.blockIds.next(),
      genStamp: await ctx.nextGenerationStamp(),
      numBytes: 0,
      state: BlockState.UnderConstruction,
    };
    // FSDirWriteFileOp.addBlock charges the new block at the preferred size; the previous one now counts its length.
    await chargeBlocks(tx, lp.rows, path, file, fb.blocks, [...blocks, block]);
    tx.changes.add(tx.dal.blocks.insert(block));
    // Its replicas' reports lock the file and read the block in one round trip.
    tx.onCommit(() => ctx.blockOwners.set(block.blockId, file.id, targets.map((t) => t.datanode.uuid)));
    tx.changes.add(tx.dal.pipelines.insertBatched(targets.map((t, position) => ({ inodeId: file.id, blockId: block.blockId, position, datanodeUuid: t.datanode.uuid, storageId: t.storageId }))));
    return { block, offset: offsetOf(blocks, blocks.length), locations: targets, corrupt: false };
  }, { reads: (targets, now) => [...fileBlockReads(ctx)(targets), ...(targets[0] ? [ctx.dal.datanodes.findLiveStorages(liveAfter(ctx, now))] : [])] });
}
