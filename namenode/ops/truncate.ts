import { CommandKind } from '../dal/command-repository';
import type { RetryKey } from '../domain/retry-key';
import { BlockState } from '../domain/located-blocks';
import { isFile } from '../dal/inode-row';
import { fileNotFound, illegalArgument, NamesystemError } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction } from '../security/permission-checker';
import { fileBlockReads, liveAfter } from '../blocks/block-ops-support';
import { loadFileBlocks } from '../blocks/file-blocks';
import { removeFileBlockIds } from '../blocks/remove-blocks';
import type { OpContext } from '../tx/op-context';
import { chargeBlocks } from '../quota/file-charge';
import { checkWriteTraverse } from './resolve-target';

/**
 * Truncates a closed file. On a block boundary the blocks past it go at
 * once (true). Otherwise the block holding the new end is recovered: each
 * datanode with a replica cuts it to the new length at a new generation
 * stamp; the file stays open under `clientName` until they have reported,
 * then closes (false, as in HDFS: the client waits for the close).
 */
export async function truncate(ctx: OpContext, caller: Caller, src: string, newLength: number, clientName: string, retryKey?: RetryKey): Promise<boolean> {
  const path = parsePath(src);
  if (newLength < 0) throw illegalArgument(`Cannot truncate to a negative file size: ${newLength}.`);
  return ctx.runner.write('truncate', [{ path, parent: 'shared', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    checkWriteTraverse(caller, lp);
    const file = lp.target;
    if (!file || !isFile(file)) throw fileNotFound(`File ${path.text} not found`);
    checkAccess(caller, file, FsAction.WRITE, path.text);
    if (file.ucClient !== null) {
      throw new NamesystemError('AlreadyBeingCreated', `Failed to TRUNCATE_FILE ${path.text} for ${clientName} because this file lease is currently owned by ${file.ucClient}`);
    }
    if (newLength > file.length) {
      throw illegalArgument(`Cannot truncate to a larger file size. Current size: ${file.length}, truncate size: ${newLength}.`);
    }
    if (newLength === file.length) return true;
    // A snapshot may still read the bytes past the cut: HDFS copies the cut block first (copy-on-truncate), not done yet.
    if (tx.changes.underSnapshot) {
      throw new NamesystemError('Unsupported', `truncate of ${path.text} is not supported by nnfleet under a directory with snapshots yet: copy-on-truncate is not implemented (namenode/snapshot/README.md)`);
    }
    const fb = await loadFileBlocks(tx, file.id, liveAfter(ctx, tx.now));
    let start = 0;
    let cut: (typeof fb.blocks)[number] | undefined;
    const dropped: typeof fb.blocks[number][] = [];
    for (const b of fb.blocks) {
      const end = start + b.numBytes;
      if (start >= newLength) dropped.push(b);
      else if (end > newLength) cut = b;
      start = end;
    }
    for (const b of dropped) tx.changes.add(tx.dal.blocks.deleteByPk(b));
    await removeFileBlockIds(tx, file.id, dropped.map((b) => b.blockId));
    const kept = fb.blocks.filter((b) => !dropped.includes(b));
    if (!cut) {
      await chargeBlocks(tx, lp.rows, path, file, fb.blocks, kept);
      tx.changes.update(file, { ...file, length: newLength, mtime: tx.now });
      return true;
    }
    const keep = newLength - (fb.blocks.slice(0, fb.blocks.indexOf(cut)).reduce((n, b) => n + b.numBytes, 0));
    const holders = fb.replicas.get(cut.blockId) ?? [];
    if (holders.length === 0) throw new NamesystemError('IO', `Cannot truncate ${path.text}: no live replica of blk_${cut.blockId}`);
    const stamp = await ctx.nextGenerationStamp(cut.genStamp);
    const recovering = { ...cut, state: BlockState.UnderRecovery, numBytes: keep };
    await chargeBlocks(tx, lp.rows, path, file, fb.blocks, kept.map((b) => (b === cut ? recovering : b)));
    tx.changes.add(tx.dal.blocks.updateByPk(recovering));
    for (const h of holders) {
      tx.changes.add(...tx.dal.commands.insert({ datanodeUuid: h.datanode.uuid, blockId: cut.blockId, kind: CommandKind.RecoverTruncate, genStamp: stamp, numBytes: keep, targets: holders.map((x) => x.datanode.uuid) }, tx.now));
    }
    tx.changes.add(tx.dal.pipelines.insertBatched(holders.map((h, position) => ({ inodeId: file.id, blockId: cut.blockId, position, datanodeUuid: h.datanode.uuid, storageId: h.storageId }))));
    tx.changes.update(file, { ...file, ucClient: clientName, ucMachine: 'truncate', mtime: tx.now });
    tx.changes.add(tx.dal.leases.upsert(clientName, tx.now));
    tx.changes.add(tx.dal.leases.insertPath(file.id, clientName));
    return false;
  }, { retryKey, reads: fileBlockReads(ctx) });
}
