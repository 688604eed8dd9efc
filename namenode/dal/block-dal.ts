import type { SqlParam, SqlRow, SqlStatement } from './sql-session';
import type { BlockRow, BlockState, DatanodeRow, ReplicaState } from './block-row';

/** SQL for blocks, replicas and pipeline targets, keyed by inode first (one partition per file). */
const BLOCK_COLUMNS = 'inode_id, block_index, block_id, generation_stamp, num_bytes, state';

export const selectBlocksByInode = (inodeId: number): SqlStatement => ({
  sql: `SELECT ${BLOCK_COLUMNS} FROM blocks WHERE inode_id = ? ORDER BY block_index`,
  params: [inodeId],
});

export const selectBlocksByIdBatched = (blockIds: readonly number[]): SqlStatement => ({
  sql: `SELECT ${BLOCK_COLUMNS} FROM blocks WHERE block_id IN (${blockIds.map(() => '?').join(',')})`,
  params: [...blockIds],
});

export const selectBlocksByInodesBatched = (inodeIds: readonly number[]): SqlStatement => ({
  sql: `SELECT ${BLOCK_COLUMNS} FROM blocks WHERE inode_id IN (${inodeIds.map(() => '?').join(',')})`,
  params: [...inodeIds],
});

const blockParams = (b: BlockRow): SqlParam[] => [b.inodeId, b.index, b.blockId, b.genStamp, b.numBytes, b.state];

export const insertBlock = (b: BlockRow): SqlStatement => ({
  sql: `INSERT INTO blocks (${BLOCK_COLUMNS}) VALUES (?,?,?,?,?,?)`,
  params: blockParams(b),
});

export const updateBlockByPk = (b: BlockRow): SqlStatement => ({
  sql: 'UPDATE blocks SET block_id = ?, generation_stamp = ?, num_bytes = ?, state = ? WHERE inode_id = ? AND block_index = ?',
  params: [b.blockId, b.genStamp, b.numBytes, b.state, b.inodeId, b.index],
});

export const deleteBlockByPk = (b: Pick<BlockRow, 'inodeId' | 'index'>): SqlStatement => ({
  sql: 'DELETE FROM blocks WHERE inode_id = ? AND block_index = ?',
  params: [b.inodeId, b.index],
});

export const deleteBlocksByInodesBatched = (inodeIds: readonly number[]): SqlStatement => ({
  sql: `DELETE FROM blocks WHERE inode_id IN (${inodeIds.map(() => '?').join(',')})`,
  params: [...inodeIds],
});

export const toBlockRow = (r: SqlRow): BlockRow => ({
  inodeId: Number(r['inode_id']),
  index: Number(r['block_index']),
  blockId: Number(r['block_id']),
  genStamp: Number(r['generation_stamp']),
  numBytes: Number(r['num_bytes']),
  state: Number(r['state']) as BlockState,
});

const DATANODE_COLUMNS =
  'd.uuid, d.ip_addr, d.host_name, d.xfer_port, d.info_port, d.ipc_port, d.capacity, d.dfs_used, d.remaining, d.block_pool_used, d.non_dfs_used, d.xceiver_count, d.last_heartbeat, d.state';

/** Replicas of a file joined with their datanodes: getBlockLocations' second read. */
export const selectReplicaLocationsByInode = (inodeId: number): SqlStatement => ({
  sql: `SELECT r.block_id, r.storage_id, r.generation_stamp AS replica_gs, r.num_bytes AS replica_bytes, r.state AS replica_state, s.storage_type, ${DATANODE_COLUMNS}
        FROM replicas r JOIN datanodes d ON d.uuid = r.datanode_uuid LEFT JOIN storages s ON s.storage_id = r.storage_id
        WHERE r.inode_id = ?`,
  params: [inodeId],
});

/** Expected locations of blocks under construction, joined with their datanodes. */
export const selectPipelineLocationsByInode = (inodeId: number): SqlStatement => ({
  sql: `SELECT p.block_id, p.storage_id, p.position, s.storage_type, ${DATANODE_COLUMNS}
        FROM pipeline_targets p JOIN datanodes d ON d.uuid = p.datanode_uuid LEFT JOIN storages s ON s.storage_id = p.storage_id
        WHERE p.inode_id = ? ORDER BY p.block_id, p.position`,
  params: [inodeId],
});

export interface PipelineTarget {
  readonly inodeId: number;
  readonly blockId: number;
  readonly position: number;
  readonly datanodeUuid: string;
  readonly storageId: string;
}

export const insertPipelineTargets = (targets: readonly PipelineTarget[]): SqlStatement => ({
  sql: `INSERT INTO pipeline_targets (inode_id, block_id, position, datanode_uuid, storage_id) VALUES ${targets.map(() => '(?,?,?,?,?)').join(',')}`,
  params: targets.flatMap((t) => [t.inodeId, t.blockId, t.position, t.datanodeUuid, t.storageId]),
});

export const deletePipelineByBlock = (inodeId: number, blockId: number): SqlStatement => ({
  sql: 'DELETE FROM pipeline_targets WHERE inode_id = ? AND block_id = ?',
  params: [inodeId, blockId],
});

export const deletePipelinesByInodesBatched = (inodeIds: readonly number[]): SqlStatement => ({
  sql: `DELETE FROM pipeline_targets WHERE inode_id IN (${inodeIds.map(() => '?').join(',')})`,
  params: [...inodeIds],
});

export interface ReplicaRow {
  readonly inodeId: number;
  readonly blockId: number;
  readonly storageId: string;
  readonly datanodeUuid: string;
  readonly genStamp: number;
  readonly numBytes: number;
  readonly state: ReplicaState;
}

export const upsertReplica = (r: ReplicaRow): SqlStatement => ({
  sql: `INSERT INTO replicas (inode_id, block_id, storage_id, datanode_uuid, generation_stamp, num_bytes, state) VALUES (?,?,?,?,?,?,?)
        ON DUPLICATE KEY UPDATE datanode_uuid = VALUES(datanode_uuid), generation_stamp = VALUES(generation_stamp), num_bytes = VALUES(num_bytes), state = VALUES(state)`,
  params: [r.inodeId, r.blockId, r.storageId, r.datanodeUuid, r.genStamp, r.numBytes, r.state],
});

export const deleteReplicaByPk = (inodeId: number, blockId: number, storageId: string): SqlStatement => ({
  sql: 'DELETE FROM replicas WHERE inode_id = ? AND block_id = ? AND storage_id = ?',
  params: [inodeId, blockId, storageId],
});

export const deleteReplicasByBlock = (inodeId: number, blockId: number): SqlStatement => ({
  sql: 'DELETE FROM replicas WHERE inode_id = ? AND block_id = ?',
  params: [inodeId, blockId],
});

export const deleteReplicasByInodesBatched = (inodeIds: readonly number[]): SqlStatement => ({
  sql: `DELETE FROM replicas WHERE inode_id IN (${inodeIds.map(() => '?').join(',')})`,
  params: [...inodeIds],
});

export const selectReplicasByInode = (inodeId: number): SqlStatement => ({
  sql: 'SELECT inode_id, block_id, storage_id, datanode_uuid, generation_stamp, num_bytes, state FROM replicas WHERE inode_id = ?',
  params: [inodeId],
});

export const selectReplicasByInodesBatched = (inodeIds: readonly number[]): SqlStatement => ({
  sql: `SELECT inode_id, block_id, storage_id, datanode_uuid, generation_stamp, num_bytes, state FROM replicas WHERE inode_id IN (${inodeIds.map(() => '?').join(',')})`,
  params: [...inodeIds],
});

export const selectReplicasByStorage = (storageId: string): SqlStatement => ({
  sql: 'SELECT inode_id, block_id, storage_id, datanode_uuid, generation_stamp, num_bytes, state FROM replicas WHERE storage_id = ?',
  params: [storageId],
});

export const toReplicaRow = (r: SqlRow): ReplicaRow => ({
  inodeId: Number(r['inode_id']),
  blockId: Number(r['block_id']),
  storageId: String(r['storage_id']),
  datanodeUuid: String(r['datanode_uuid']),
  genStamp: Number(r['generation_stamp']),
  numBytes: Number(r['num_bytes']),
  state: Number(r['state']) as ReplicaState,
});

export const toDatanodeRow = (r: SqlRow): DatanodeRow => ({
  uuid: String(r['uuid']),
  ipAddr: String(r['ip_addr']),
  hostName: String(r['host_name']),
  xferPort: Number(r['xfer_port']),
  infoPort: Number(r['info_port']),
  ipcPort: Number(r['ipc_port']),
  capacity: Number(r['capacity']),
  dfsUsed: Number(r['dfs_used']),
  remaining: Number(r['remaining']),
  blockPoolUsed: Number(r['block_pool_used']),
  nonDfsUsed: Number(r['non_dfs_used']),
  xceiverCount: Number(r['xceiver_count']),
  lastHeartbeat: Number(r['last_heartbeat']),
  state: Number(r['state']),
});

/** A reported-bad replica: by datanode, since a reader knows the node, not always the storage. */
export const markReplicaCorrupt = (inodeId: number, blockId: number, datanodeUuid: string): SqlStatement => ({
  sql: 'UPDATE replicas SET state = 3 WHERE inode_id = ? AND block_id = ? AND datanode_uuid = ?',
  params: [inodeId, blockId, datanodeUuid],
});

export const selectFinalizedReplicasOfBlock = (inodeId: number, blockId: number, minGenStamp: number): SqlStatement => ({
  sql: 'SELECT datanode_uuid, generation_stamp, num_bytes FROM replicas WHERE inode_id = ? AND block_id = ? AND state = 1 AND generation_stamp >= ?',
  params: [inodeId, blockId, minGenStamp],
});

