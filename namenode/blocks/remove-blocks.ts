import { CommandKind } from '../dal/command-repository';
import type { ReplicaRow } from '../dal/replica-repository';
import type { WriteContext } from '../tx/tx-contexts';

const CHUNK = 500;

const invalidate = (tx: WriteContext, r: ReplicaRow) =>
  tx.dal.commands.insert({ datanodeUuid: r.datanodeUuid, blockId: r.blockId, kind: CommandKind.Invalidate, genStamp: r.genStamp, numBytes: r.numBytes, targets: [] }, tx.now);

/**
 * Drops the blocks of deleted files (and those a truncate had left for
 * snapshots) and queues an invalidation for every replica, handed to its
 * datanode with the next heartbeat.
 */
export async function removeFileBlocks(tx: WriteContext, fileIds: readonly number[]): Promise<void> {
  const { replicas, pipelines, blocks } = tx.dal;
  for (let i = 0; i < fileIds.length; i += CHUNK) {
    const ids = fileIds.slice(i, i + CHUNK);
    for (const r of await tx.run(replicas.findByInodesBatched(ids))) tx.changes.add(...invalidate(tx, r));
    tx.changes.add(replicas.deleteByInodesBatched(ids), pipelines.deleteByInodesBatched(ids), blocks.deleteByInodesBatched(ids), tx.dal.blockVersions.deleteByInodesBatched(ids));
  }
}

/** Invalidates the replicas of some blocks of one file (truncate), and forgets them. */
export async function removeFileBlockIds(tx: WriteContext, inodeId: number, blockIds: readonly number[]): Promise<void> {
  if (blockIds.length === 0) return;
  const doomed = new Set(blockIds);
  for (const r of await tx.run(tx.dal.replicas.findByInodesBatched([inodeId]))) {
    if (doomed.has(r.blockId)) tx.changes.add(...invalidate(tx, r), tx.dal.replicas.deleteByPk(inodeId, r.blockId, r.storageId));
  }
}
