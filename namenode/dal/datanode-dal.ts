import type { DatanodeRow, HeartbeatStats } from './block-row';
import type { SqlStatement } from './sql-session';

/** SQL for datanode descriptors, their storages and the work queued for them. */
export const DATANODE_STATE = { Normal: 0, Decommissioning: 1, Decommissioned: 2, Dead: 3 } as const;

/**
 * Transfer: replicate to `targets`; Invalidate: delete; Recover: finalize an
 * unfinished replica at a new generation stamp; RecoverTruncate: cut a
 * replica to `num_bytes` at a new generation stamp.
 */
export const COMMAND_KIND = { Transfer: 1, Invalidate: 2, Recover: 3, RecoverTruncate: 4 } as const;

export const upsertDatanode = (d: DatanodeRow, now: number): SqlStatement => ({
  sql: `INSERT INTO datanodes (uuid, ip_addr, host_name, xfer_port, info_port, ipc_port, capacity, dfs_used, remaining, block_pool_used, non_dfs_used, xceiver_count, last_heartbeat, registered_at, state)
        VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)
        ON DUPLICATE KEY UPDATE ip_addr = VALUES(ip_addr), host_name = VALUES(host_name), xfer_port = VALUES(xfer_port), info_port = VALUES(info_port),
          ipc_port = VALUES(ipc_port), last_heartbeat = VALUES(last_heartbeat), registered_at = VALUES(registered_at), state = 0`,
  params: [d.uuid, d.ipAddr, d.hostName, d.xferPort, d.infoPort, d.ipcPort, d.capacity, d.dfsUsed, d.remaining, d.blockPoolUsed, d.nonDfsUsed, d.xceiverCount, now, now],
});

/** Only a datanode not declared dead is refreshed: a dead one must register again. */
export const updateHeartbeatByPk = (uuid: string, s: HeartbeatStats, now: number): SqlStatement => ({
  sql: `UPDATE datanodes SET capacity = ?, dfs_used = ?, remaining = ?, block_pool_used = ?, non_dfs_used = ?, xceiver_count = ?, last_heartbeat = ?
        WHERE uuid = ? AND state <> ${DATANODE_STATE.Dead}`,
  params: [s.capacity, s.dfsUsed, s.remaining, s.blockPoolUsed, s.nonDfsUsed, s.xceiverCount, now, uuid],
});

export interface StorageRow {
  readonly storageId: string;
  readonly datanodeUuid: string;
  readonly storageType: number;
  readonly capacity: number;
  readonly dfsUsed: number;
  readonly remaining: number;
}

export const upsertStorage = (s: StorageRow, now: number): SqlStatement => ({
  sql: `INSERT INTO storages (storage_id, datanode_uuid, storage_type, capacity, dfs_used, remaining, last_report) VALUES (?,?,?,?,?,?,?)
        ON DUPLICATE KEY UPDATE datanode_uuid = VALUES(datanode_uuid), storage_type = VALUES(storage_type), capacity = VALUES(capacity),
          dfs_used = VALUES(dfs_used), remaining = VALUES(remaining), last_report = VALUES(last_report)`,
  params: [s.storageId, s.datanodeUuid, s.storageType, s.capacity, s.dfsUsed, s.remaining, now],
});

const COLUMNS =
  'd.uuid, d.ip_addr, d.host_name, d.xfer_port, d.info_port, d.ipc_port, d.capacity, d.dfs_used, d.remaining, d.block_pool_used, d.non_dfs_used, d.xceiver_count, d.last_heartbeat, d.state';

/** Live datanodes with their storages: the candidates for block placement. */
export const selectLiveDatanodeStorages = (heartbeatAfter: number): SqlStatement => ({
  sql: `SELECT ${COLUMNS}, s.storage_id, s.storage_type, s.remaining AS storage_remaining
        FROM datanodes d JOIN storages s ON s.datanode_uuid = d.uuid
        WHERE d.state = ${DATANODE_STATE.Normal} AND d.last_heartbeat > ?`,
  params: [heartbeatAfter],
});

export const selectAllDatanodes = (): SqlStatement => ({ sql: `SELECT ${COLUMNS} FROM datanodes d ORDER BY d.uuid`, params: [] });

export const selectDatanodeByPk = (uuid: string): SqlStatement => ({
  sql: `SELECT ${COLUMNS} FROM datanodes d WHERE d.uuid = ?`,
  params: [uuid],
});

export const selectStoragesByDatanode = (uuid: string): SqlStatement => ({
  sql: 'SELECT storage_id, datanode_uuid, storage_type, capacity, dfs_used, remaining FROM storages WHERE datanode_uuid = ?',
  params: [uuid],
});

/** Datanodes whose heartbeats stopped: the leader declares them dead. */
export const selectExpiredDatanodes = (heartbeatBefore: number): SqlStatement => ({
  sql: `SELECT ${COLUMNS} FROM datanodes d WHERE d.state <> ${DATANODE_STATE.Dead} AND d.last_heartbeat < ?`,
  params: [heartbeatBefore],
});

export const markDatanodeDead = (uuid: string, heartbeatBefore: number): SqlStatement => ({
  sql: `UPDATE datanodes SET state = ${DATANODE_STATE.Dead} WHERE uuid = ? AND last_heartbeat < ?`,
  params: [uuid, heartbeatBefore],
});

export interface CommandRow {
  readonly datanodeUuid: string;
  readonly blockId: number;
  readonly kind: number;
  readonly genStamp: number;
  readonly numBytes: number;
  readonly targets: string;
}

export const insertCommand = (c: CommandRow, now: number): SqlStatement => ({
  sql: `INSERT INTO datanode_commands (datanode_uuid, block_id, kind, generation_stamp, num_bytes, targets, created_at) VALUES (?,?,?,?,?,?,?)
        ON DUPLICATE KEY UPDATE generation_stamp = VALUES(generation_stamp), num_bytes = VALUES(num_bytes), targets = VALUES(targets), created_at = VALUES(created_at)`,
  params: [c.datanodeUuid, c.blockId, c.kind, c.genStamp, c.numBytes, c.targets, now],
});

export const selectCommandsByDatanode = (uuid: string, limit: number): SqlStatement => ({
  sql: 'SELECT datanode_uuid, block_id, kind, generation_stamp, num_bytes, targets FROM datanode_commands WHERE datanode_uuid = ? ORDER BY created_at LIMIT ? FOR UPDATE',
  params: [uuid, limit],
});

export const deleteCommandsByPkBatched = (uuid: string, keys: readonly { blockId: number; kind: number }[]): SqlStatement => ({
  sql: `DELETE FROM datanode_commands WHERE datanode_uuid = ? AND (${keys.map(() => '(block_id = ? AND kind = ?)').join(' OR ')})`,
  params: [uuid, ...keys.flatMap((k) => [k.blockId, k.kind])],
});

export const enqueueUnderReplicated = (blockId: number, inodeId: number, now: number): SqlStatement => ({
  sql: 'INSERT INTO under_replicated (block_id, inode_id, queued_at, scheduled_at) VALUES (?,?,?,0) ON DUPLICATE KEY UPDATE inode_id = VALUES(inode_id)',
  params: [blockId, inodeId, now],
});

export const selectUnderReplicated = (limit: number, scheduledBefore: number, queuedBefore: number): SqlStatement => ({
  sql: 'SELECT block_id, inode_id FROM under_replicated WHERE scheduled_at < ? AND queued_at < ? ORDER BY queued_at LIMIT ?',
  params: [scheduledBefore, queuedBefore, limit],
});

export const markUnderReplicatedScheduled = (blockId: number, now: number): SqlStatement => ({
  sql: 'UPDATE under_replicated SET scheduled_at = ? WHERE block_id = ?',
  params: [now, blockId],
});

export const deleteUnderReplicated = (blockId: number): SqlStatement => ({
  sql: 'DELETE FROM under_replicated WHERE block_id = ?',
  params: [blockId],
});

export const selectLiveCapacity = (heartbeatAfter: number): SqlStatement => ({
  sql: `SELECT COUNT(*) AS n, COALESCE(SUM(capacity),0) AS capacity, COALESCE(SUM(dfs_used),0) AS used, COALESCE(SUM(remaining),0) AS remaining
        FROM datanodes WHERE state = ${DATANODE_STATE.Normal} AND last_heartbeat > ?`,
  params: [heartbeatAfter],
});

export const selectQueueSizes = (): SqlStatement => ({
  sql: `SELECT (SELECT COUNT(*) FROM under_replicated) AS under_replicated,
               (SELECT COUNT(*) FROM datanode_commands WHERE kind = ${COMMAND_KIND.Invalidate}) AS pending_deletion`,
  params: [],
});

export const selectDatanodeStoragesByUuidBatched = (uuids: readonly string[]): SqlStatement => ({
  sql: `SELECT ${COLUMNS}, s.storage_id, s.storage_type FROM datanodes d JOIN storages s ON s.datanode_uuid = d.uuid WHERE d.uuid IN (${uuids.map(() => '?').join(',')})`,
  params: [...uuids],
});

/** Every block a dead datanode held goes to the under-replication queue, then its replicas and work are dropped. */
export const forgetDeadDatanode = (uuid: string, now: number): SqlStatement[] => [
  {
    sql: `INSERT INTO under_replicated (block_id, inode_id, queued_at, scheduled_at)
          SELECT block_id, inode_id, ?, 0 FROM replicas WHERE datanode_uuid = ? ON DUPLICATE KEY UPDATE scheduled_at = 0`,
    params: [now, uuid],
  },
  { sql: 'DELETE FROM replicas WHERE datanode_uuid = ?', params: [uuid] },
  { sql: 'DELETE FROM datanode_commands WHERE datanode_uuid = ?', params: [uuid] },
];

export const recheckUnderReplicated = (blockId: number): SqlStatement => ({
  sql: 'UPDATE under_replicated SET scheduled_at = 0 WHERE block_id = ?',
  params: [blockId],
});

/** A file's replication changed: all its blocks go through the replication monitor. */
export const enqueueFileBlocks = (inodeId: number, now: number): SqlStatement => ({
  sql: `INSERT INTO under_replicated (block_id, inode_id, queued_at, scheduled_at)
        SELECT block_id, inode_id, ?, 0 FROM blocks WHERE inode_id = ? ON DUPLICATE KEY UPDATE scheduled_at = 0`,
  params: [now, inodeId],
});
