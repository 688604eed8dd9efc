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
export async function removeFileBlocks(tx: WriteContext, fileIds: readonly number[], locked?: LockedFiles): Promise<void> {
  const { replicas, pipelines, blocks } = tx.dal;
  for (let i = 0; i < fileIds.length; i += CHUNK) {
    const ids = fileIds.slice(i, i + CHUNK);
    const found = await tx.run(replicas.findByInodesBatched(ids));
    for (const r of found) tx.changes.add(...invalidate(tx, r));
    // Under the files' exclusive locks the read saw every replica row: a datanode's report records one under a share lock of its file.
    const copied = locked ? [...new Set(found.map((r) => r.inodeId))] : ids;
    if (copied.length > 0) tx.changes.add(replicas.deleteByInodesBatched(copied));
    const piped = locked ? ids.filter((id) => locked.underConstruction.has(id)) : ids;
    if (piped.length > 0) tx.changes.add(pipelines.deleteByInodesBatched(piped));
    tx.changes.add(blocks.deleteByInodesBatched(ids), tx.dal.blockVersions.deleteByInodesBatched(ids));
  }
}

/** Files whose rows this transaction read under their exclusive locks (removeInodes' `rowsLocked`). */
export interface LockedFiles {
  /** Those under construction: the only ones that may have pipeline rows. */
  readonly underConstruction: ReadonlySet<number>;
}

/** Invalidates the replicas of some blocks of one file (truncate), and forgets them. */
export async function removeFileBlockIds(tx: WriteContext, inodeId: number, blockIds: readonly number[]): Promise<void> {
  if (blockIds.length === 0) return;
  const doomed = new Set(blockIds);
  for (const r of await tx.run(tx.dal.replicas.findByInodesBatched([inodeId]))) {
    if (doomed.has(r.blockId)) tx.changes.add(...invalidate(tx, r), tx.dal.replicas.deleteByPk(inodeId, r.blockId, r.storageId));
  }
}
