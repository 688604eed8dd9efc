import { BlockState } from '../domain/located-blocks';
import { isFile } from '../dal/inode-row';
import { fileNotFound, ioError } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkTraverse } from '../security/permission-checker';
import { prefixText } from '../tx/path-resolver';
import { awaitPipelineCopies, fileBlockReads, isEmptyUnreported, liveAfter, settle, waitForReplicas } from '../blocks/block-ops-support';
import type { Block, BlockRef } from '../domain/located-blocks';
import { loadFileBlocks } from '../blocks/file-blocks';
import { checkLease } from '../blocks/lease-check';
import { commitLast } from './add-block';
import type { OpContext } from '../tx/op-context';
import { chargeBlocks } from '../quota/file-charge';

/**
 * Closes a file its writer holds the lease on: commits the last block and
 * answers true once every block has its minimum replicas reported (false
 * while they are still coming, as HDFS). A file already closed answers
 * true: that is a retry whose first answer was lost.
 */
export async function complete(ctx: OpContext, caller: Caller, src: string, clientName: string, last?: BlockRef): Promise<boolean> {
  await awaitPipelineCopies(ctx, last);
  return waitForReplicas(ctx, (watch) => completeOnce(ctx, caller, src, clientName, last, watch), (done) => !done);
}

async function completeOnce(
  ctx: OpContext,
  caller: Caller,
  src: string,
  clientName: string,
  last: BlockRef | undefined,
  watch: (inodeId: number) => void,
): Promise<boolean> {
  const path = parsePath(src);
  const prefix = (d: number) => prefixText(path, d);
  return ctx.runner.write('complete', [{ path, parent: 'none', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    const target = lp.target;
    if (!target || !isFile(target)) throw fileNotFound(`File does not exist: ${path.text}`);
    checkTraverse(caller, lp.rows, path.components.length, prefix);
    if (target.ucClient === null) {
      // A closed file is a retry whose first answer was lost only when its last block is the one
      // the client names (HDFS's completeFileInternal); otherwise someone else closed it: LeaseExpired.
      const closed = await loadFileBlocks(tx, target.id, liveAfter(ctx, tx.now));
      if (isRetriedClose(closed.blocks, last)) return true;
    }
    const file = await checkLease(tx, target, clientName, path.text);
    const fb = await loadFileBlocks(tx, file.id, liveAfter(ctx, tx.now));
    const blocks = [...fb.blocks];
    const lastRow = blocks[blocks.length - 1];
    if (last && !lastRow) throw ioError(`complete: ${path.text} has no block ${last.blockId}`);
    // Pipeline rows the close must still delete (commitLast deletes the last block's when it completes it).
    let pipelined = [...fb.pipeline.keys()];
    if (last && lastRow) {
      const committed = commitLast(fb, lastRow, last, ctx, tx);
      if (committed.state === BlockState.Complete && lastRow.state !== BlockState.Complete) pipelined = pipelined.filter((id) => id !== lastRow.blockId);
      if (isEmptyUnreported(fb, committed)) {
        // An empty last block no datanode ever saw (a client that gave up on its pipeline): drop it.
        tx.changes.add(tx.dal.blocks.deleteByPk(committed));
        blocks.pop();
      } else blocks[blocks.length - 1] = committed;
    }
    let allComplete = true;
    for (let i = 0; i < blocks.length; i++) {
      const b = blocks[i];
      if (!b) continue;
      const settled = settle(ctx, fb, b);
      if (settled.state !== BlockState.Complete) allComplete = false;
      else if (settled !== b) tx.changes.add(tx.dal.blocks.updateByPk(settled));
      blocks[i] = settled;
    }
    // The last block, committed, counts its length instead of the preferred size.
    await chargeBlocks(tx, lp.rows, path, file, fb.blocks, blocks.filter((b): b is Block => b !== undefined));
    if (!allComplete) {
      watch(file.id);
      return false;
    }
    const length = blocks.reduce((n, b) => n + b.numBytes, 0);
    // Blocks closed short of copies go to the replication monitor; it gives copies still being
    // reported a grace period before it acts, so a normal close costs nothing more.
    if (blocks.some((b) => (fb.replicas.get(b.blockId)?.length ?? 0) < file.replication)) tx.changes.add(tx.dal.replicationQueue.enqueueFile(file.id, tx.now));
    tx.changes.update(file, { ...file, ucClient: null, ucMachine: null, mtime: tx.now, length });
    // The pipeline rows were read under the file's exclusive lock: none left, no statement.
    if (pipelined.length > 0) tx.changes.add(tx.dal.pipelines.deleteByInodesBatched([file.id]));
    // The lease path by its key; the holder's lease row stays until the lease monitor finds it idle and empty.
    tx.changes.add(tx.dal.leases.deletePathsByInodesBatched([file.id]));
    return true;
  }, { reads: fileBlockReads(ctx) });
}

/**
 * HDFS's Block.matchingIdAndGenStamp of the file's last block and the
 * client's; an empty last block the first close dropped matches too.
 */
function isRetriedClose(blocks: readonly Block[], clientLast: BlockRef | undefined): boolean {
  const fileLast = blocks.at(-1);
  if (!clientLast) return !fileLast;
  if (fileLast && fileLast.blockId === clientLast.blockId && fileLast.genStamp === clientLast.genStamp) return true;
  return clientLast.numBytes === 0 && !blocks.some((b) => b.blockId === clientLast.blockId);
}
