import {
  deleteBlocksByInodesBatched,
  deletePipelinesByInodesBatched,
  deleteReplicasByInodesBatched,
  selectReplicasByInodesBatched,
  toReplicaRow,
  deleteReplicaByPk,
} from '../dal/block-dal';
import { COMMAND_KIND, insertCommand } from '../dal/datanode-dal';
import type { SqlRow, SqlStatement } from '../dal/sql-session';
import type { ChangeSet } from '../tx/change-set';

const CHUNK = 500;

/**
 * Drops the blocks of deleted files and queues an invalidation for every
 * replica, handed to its datanode with the next heartbeat.
 */
export async function removeFileBlocks(
  query: (s: SqlStatement) => Promise<SqlRow[]>,
  changes: ChangeSet,
  fileIds: readonly number[],
  now: number,
): Promise<void> {
  for (let i = 0; i < fileIds.length; i += CHUNK) {
    const ids = fileIds.slice(i, i + CHUNK);
    const replicas = (await query(selectReplicasByInodesBatched(ids))).map(toReplicaRow);
    for (const r of replicas) {
      changes.add(insertCommand({ datanodeUuid: r.datanodeUuid, blockId: r.blockId, kind: COMMAND_KIND.Invalidate, genStamp: r.genStamp, numBytes: r.numBytes, targets: '' }, now));
    }
    changes.add(deleteReplicasByInodesBatched(ids));
    changes.add(deletePipelinesByInodesBatched(ids));
    changes.add(deleteBlocksByInodesBatched(ids));
  }
}

/** Invalidates the replicas of some blocks of one file (truncate), and forgets them. */
export async function removeFileBlockIds(
  query: (s: SqlStatement) => Promise<SqlRow[]>,
  changes: ChangeSet,
  inodeId: number,
  blockIds: readonly number[],
  now: number,
): Promise<void> {
  if (blockIds.length === 0) return;
  const doomed = new Set(blockIds);
  const replicas = (await query(selectReplicasByInodesBatched([inodeId]))).map(toReplicaRow).filter((r) => doomed.has(r.blockId));
  for (const r of replicas) {
    changes.add(insertCommand({ datanodeUuid: r.datanodeUuid, blockId: r.blockId, kind: COMMAND_KIND.Invalidate, genStamp: r.genStamp, numBytes: r.numBytes, targets: '' }, now));
    changes.add(deleteReplicaByPk(inodeId, r.blockId, r.storageId));
  }
}
