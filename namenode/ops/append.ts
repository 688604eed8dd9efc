import type { RetryKey } from '../domain/retry-key';
import { BlockState, type LocatedBlock } from '../domain/located-blocks';
import { isFile, type InodeRow } from '../dal/inode-row';
import { fileNotFound, NamesystemError } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction } from '../security/permission-checker';
import { fileBlockReads, liveAfter } from '../blocks/block-ops-support';
import { loadFileBlocks } from '../blocks/file-blocks';
import { appendHolders } from '../blocks/shared-recovery';
import type { OpContext } from '../tx/op-context';
import { chargeBlocks } from '../quota/file-charge';
import { checkWriteTraverse } from './resolve-target';

/** CreateFlagProto.NEW_BLOCK: append into a fresh block rather than the partial last one. */
const NEW_BLOCK = 32;

export interface AppendResult {
  readonly block: LocatedBlock | undefined;
  readonly file: InodeRow;
}

/**
 * Reopens a closed file for writing by `clientName`. A partial last block is
 * reopened under construction on the datanodes that hold it and handed back
 * (the client continues it with PIPELINE_SETUP_APPEND); with an empty file,
 * a full last block or NEW_BLOCK the client starts a new block.
 */
export async function append(ctx: OpContext, caller: Caller, src: string, clientName: string, flags: number, retryKey?: RetryKey): Promise<AppendResult> {
  const path = parsePath(src);
  return ctx.runner.write('append', [{ path, parent: 'shared', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    checkWriteTraverse(caller, lp);
    const file = lp.target;
    if (!file) throw fileNotFound(`File ${path.text} not found`);
    if (!isFile(file)) throw fileNotFound(`Failed to append to non-existent file ${path.text} for client ${clientName}`);
    checkAccess(caller, file, FsAction.WRITE, path.text);
    if (file.ucClient !== null) {
      throw new NamesystemError(
        'AlreadyBeingCreated',
        `Failed to APPEND_FILE ${path.text} for ${clientName} on ${file.ucMachine ?? 'unknown'} because this file lease is currently owned by ${file.ucClient}`,
      );
    }
    const reopened = { ...file, ucClient: clientName, ucMachine: 'append' };
    tx.changes.update(file, reopened);
    tx.changes.add(tx.dal.leases.upsert(clientName, tx.now));
    tx.changes.add(tx.dal.leases.insertPath(file.id, clientName));
    const fb = await loadFileBlocks(tx, file.id, liveAfter(ctx, tx.now));
    const last = fb.blocks[fb.blocks.length - 1];
    if (!last || (flags & NEW_BLOCK) !== 0 || last.numBytes >= file.blockSize) return { block: undefined, file: reopened };
    const holders = await appendHolders(ctx, tx, fb.replicas.get(last.blockId) ?? []);
    if (holders.length === 0) throw new NamesystemError('IO', `Failed to append to ${path.text}: no live replica of its last block blk_${last.blockId}`);
    const reopenedBlock = { ...last, state: BlockState.UnderConstruction };
    // FSDirAppendOp.verifyQuotaForUCBlock: the reopened block counts at the preferred size again.
    await chargeBlocks(tx, lp.rows, path, file, fb.blocks, [...fb.blocks.slice(0, -1), reopenedBlock]);
    tx.changes.add(tx.dal.blocks.updateByPk(reopenedBlock));
    tx.changes.add(tx.dal.pipelines.insertBatched(holders.map((h, position) => ({ inodeId: file.id, blockId: last.blockId, position, datanodeUuid: h.datanode.uuid, storageId: h.storageId }))));
    return { block: { block: reopenedBlock, offset: file.length - last.numBytes, locations: holders, corrupt: false }, file: reopened };
  }, { retryKey, reads: fileBlockReads(ctx) });
}
