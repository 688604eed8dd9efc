import { CommandKind } from '../../namenode/dal/command-repository';
import type { ReplicationQueueRepository } from '../../namenode/dal/replication-queue-repository';
import { deleteWhere, inList, localMutation, localQuery, updateWhere, upsertRow } from './local-statements';
import type { MemoryTables } from './memory-tables';

export function memoryReplicationQueue(t: MemoryTables): ReplicationQueueRepository {
  const table = t.underReplicated;
  const ofBlock = (blockId: number) => (u: { blockId: number }) => u.blockId === blockId;
  return {
    enqueue: (blockId, inodeId, now) =>
      localMutation((log) => upsertRow(table, { blockId, inodeId, queuedAt: now, scheduledAt: 0 }, (old) => ({ ...old, inodeId }), log)),
    enqueueFile: (inodeId, now) =>
      localMutation((log) =>
        t.blocks
          .rows()
          .filter((b) => b.inodeId === inodeId)
          .reduce((n, b) => n + upsertRow(table, { blockId: b.blockId, inodeId, queuedAt: now, scheduledAt: 0 }, (old) => ({ ...old, scheduledAt: 0 }), log), 0),
      ),
    findDue: (limit, scheduledBefore, queuedBefore) =>
      localQuery(() =>
        table
          .rows()
          .filter((u) => u.scheduledAt < scheduledBefore && u.queuedAt < queuedBefore)
          .sort((a, b) => a.queuedAt - b.queuedAt)
          .slice(0, limit)
          .map((u) => ({ blockId: u.blockId, inodeId: u.inodeId })),
      ),
    markScheduled: (blockId, now) => localMutation((log) => updateWhere(table, ofBlock(blockId), (u) => ({ ...u, scheduledAt: now }), log)),
    recheck: (blockIds) =>
      localMutation((log) => {
        const wanted = inList(blockIds, 'replicationQueue.recheck');
        return updateWhere(table, (u) => wanted.has(u.blockId), (u) => ({ ...u, scheduledAt: 0 }), log);
      }),
    moveToInode: (from, to) => localMutation((log) => updateWhere(table, (u) => u.inodeId === from, (u) => ({ ...u, inodeId: to }), log)),
    remove: (blockId) => localMutation((log) => deleteWhere(table, ofBlock(blockId), log)),
    countSizes: () =>
      localQuery(() => ({
        underReplicated: table.size,
        pendingDeletion: t.commands.rows().filter((c) => c.kind === CommandKind.Invalidate).length,
      })),
  };
}
