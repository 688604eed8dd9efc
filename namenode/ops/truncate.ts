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
import { blockVersionOf, snapshotHold } from './truncate-snapshot';
import type { BlockVersion } from '../dal/block-version-repository';

/**
 * Truncates a closed file. On a block boundary the blocks past it go at
 * once (true). Otherwise the block holding the new end is recovered: each
 * datanode with a replica cuts it to the new length at a new generation
 * stamp; the file stays open under `clientName` until they have reported,
 * then closes (false, as in HDFS: the client waits for the close). Under
 * a snapshot that reads the file, the blocks the cut takes away stay for it
 * (block_versions) and the cut block is copied into a new block id instead
 * of being cut in place (HDFS's copy-on-truncate).
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
    const fb = await loadFileBlocks(tx, file.id, liveAfter(ctx, tx.now));
    // Under snapshots the blocks the cut takes away stay for them (copy-on-truncate: see truncate-snapshot.ts).
    const hold = await snapshotHold(tx, file);
    let start = 0;
    let cut: { block: (typeof fb.blocks)[number]; start: number } | undefined;
    const dropped: typeof fb.blocks[number][] = [];
    const kept: BlockVersion[] = [];
    for (const b of fb.blocks) {
      const end = start + b.numBytes;
      if (start >= newLength) {
        dropped.push(b);
        if (hold?.holds(b, start)) kept.push(blockVersionOf(b, hold.key, 0));
      } else if (end > newLength) cut = { block: b, start };
      start = end;
    }
    for (const b of dropped) tx.changes.add(tx.dal.blocks.deleteByPk(b));
    const keptIds = new Set(kept.map((v) => v.blockId));
    await removeFileBlockIds(tx, file.id, dropped.filter((b) => !keptIds.has(b.blockId)).map((b) => b.blockId));
    const remaining = fb.blocks.filter((b) => !dropped.includes(b));
    if (!cut) {
      if (kept.length > 0) tx.changes.add(tx.dal.blockVersions.insertBatched(kept));
      await chargeBlocks(tx, lp.rows, path, file, fb.blocks, remaining);
      tx.changes.update(file, { ...file, length: newLength, mtime: tx.now });
      return true;
    }
    const old = cut.block;
    const keep = newLength - cut.start;
    const holders = fb.replicas.get(old.blockId) ?? [];
    if (holders.length === 0) throw new NamesystemError('IO', `Cannot truncate ${path.text}: no live replica of blk_${old.blockId}`);
    const stamp = await ctx.nextGenerationStamp(old.genStamp);
    // A snapshot reads the cut block whole: its first bytes are copied into a new block, as HDFS's copy-on-truncate does.
    const copy = hold?.holds(old, cut.start) ? await ctx.blockIds.next() : undefined;
    if (hold && copy !== undefined) kept.push(blockVersionOf(old, hold.key, copy));
    if (kept.length > 0) tx.changes.add(tx.dal.blockVersions.insertBatched(kept));
    const recovering = { ...old, blockId: copy ?? old.blockId, state: BlockState.UnderRecovery, numBytes: keep };
    await chargeBlocks(tx, lp.rows, path, file, fb.blocks, remaining.map((b) => (b === old ? recovering : b)));
    tx.changes.add(tx.dal.blocks.updateByPk(recovering));
    const kind = copy === undefined ? CommandKind.RecoverTruncate : CommandKind.CopyTruncate;
    for (const h of holders) {
      tx.changes.add(...tx.dal.commands.insert({ datanodeUuid: h.datanode.uuid, blockId: recovering.blockId, kind, genStamp: stamp, numBytes: keep, targets: holders.map((x) => x.datanode.uuid) }, tx.now));
    }
    tx.changes.add(tx.dal.pipelines.insertBatched(holders.map((h, position) => ({ inodeId: file.id, blockId: recovering.blockId, position, datanodeUuid: h.datanode.uuid, storageId: h.storageId }))));
    tx.changes.update(file, { ...file, ucClient: clientName, ucMachine: 'truncate', mtime: tx.now });
    tx.changes.add(tx.dal.leases.upsert(clientName, tx.now));
    tx.changes.add(tx.dal.leases.insertPath(file.id, clientName));
    return false;
  }, { retryKey, reads: fileBlockReads(ctx) });
}
