import { CommandKind } from '../command-repository';
import type { ReplicationQueueRepository } from '../replication-queue-repository';
import { sqlMutation, sqlQuery } from '../query';
import { firstRow, num, placeholders, rowsWith } from './sql-values';

export const sqlReplicationQueue: ReplicationQueueRepository = {
  enqueue: (blockId, inodeId, now) =>
    sqlMutation({
      sql: 'INSERT INTO under_replicated (block_id, inode_id, queued_at, scheduled_at) VALUES (?,?,?,0) ON DUPLICATE KEY UPDATE inode_id = VALUES(inode_id)',
      params: [blockId, inodeId, now],
    }),
  moveToInode: (from, to) => sqlMutation({ sql: 'UPDATE under_replicated SET inode_id = ? WHERE inode_id = ?', params: [to, from] }),
  enqueueFile: (inodeId, now) =>
    sqlMutation({
      sql: `INSERT INTO under_replicated (block_id, inode_id, queued_at, scheduled_at)
            SELECT block_id, inode_id, ?, 0 FROM blocks WHERE inode_id = ? ON DUPLICATE KEY UPDATE scheduled_at = 0`,
      params: [now, inodeId],
    }),
  findDue: (limit, scheduledBefore, queuedBefore) =>
    sqlQuery(
      {
        sql: 'SELECT block_id, inode_id FROM under_replicated WHERE scheduled_at < ? AND queued_at < ? ORDER BY queued_at LIMIT ?',
        params: [scheduledBefore, queuedBefore, limit],
      },
      rowsWith((r) => ({ blockId: num(r['block_id']), inodeId: num(r['inode_id']) })),
    ),
  markScheduled: (blockId, now) => sqlMutation({ sql: 'UPDATE under_replicated SET scheduled_at = ? WHERE block_id = ?', params: [now, blockId] }),
  recheck: (blockIds) => sqlMutation({ sql: `UPDATE under_replicated SET scheduled_at = 0 WHERE block_id IN (${placeholders(blockIds.length)})`, params: [...blockIds] }),
  remove: (blockId) => sqlMutation({ sql: 'DELETE FROM under_replicated WHERE block_id = ?', params: [blockId] }),
  countSizes: () =>
    sqlQuery(
      {
        sql: `SELECT (SELECT COUNT(*) FROM under_replicated) AS under_replicated,
                     (SELECT COUNT(*) FROM datanode_commands WHERE kind = ${CommandKind.Invalidate}) AS pending_deletion`,
        params: [],
      },
      (result) => {
        const r = firstRow(result) ?? {};
        return { underReplicated: num(r['under_replicated'] ?? 0), pendingDeletion: num(r['pending_deletion'] ?? 0) };
      },
    ),
};
