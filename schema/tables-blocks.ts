import type { TableDef } from './table-def';

const bigint = { kind: 'bigint' } as const;
const int = { kind: 'int' } as const;
const tinyint = { kind: 'tinyint' } as const;
const uuid = { kind: 'varchar', length: 64 } as const;

/**
 * The block manager as rows (schema version 2). Blocks and replicas are
 * keyed by the owning inode first, so NDB keeps a file's blocks and
 * replicas in the file's partition and getBlockLocations reads one
 * partition.
 */
export const blocks: TableDef = {
  name: 'blocks',
  columns: [
    { name: 'inode_id', type: bigint },
    { name: 'block_index', type: int },
    { name: 'block_id', type: bigint },
    { name: 'generation_stamp', type: bigint },
    { name: 'num_bytes', type: bigint },
    /** 1 under construction, 2 committed, 3 complete, 4 under recovery. */
    { name: 'state', type: tinyint },
  ],
  primaryKey: ['inode_id', 'block_index'],
  uniqueKeys: [{ name: 'blocks_block_id', columns: ['block_id'] }],
  partitionBy: ['inode_id'],
};

/** Finalized (or being written, state 2) replicas as datanodes report them. */
export const replicas: TableDef = {
  name: 'replicas',
  columns: [
    { name: 'inode_id', type: bigint },
    { name: 'block_id', type: bigint },
    { name: 'storage_id', type: uuid },
    { name: 'datanode_uuid', type: uuid },
    { name: 'generation_stamp', type: bigint },
    { name: 'num_bytes', type: bigint },
    /** 1 finalized, 2 being written (RBW), 3 corrupt. */
    { name: 'state', type: tinyint },
  ],
  primaryKey: ['inode_id', 'block_id', 'storage_id'],
  indexes: [
    { name: 'replicas_block', columns: ['block_id'] },
    { name: 'replicas_datanode', columns: ['datanode_uuid'] },
  ],
  partitionBy: ['inode_id'],
};

/** The pipeline a block under construction was handed to (its expected locations). */
export const pipelineTargets: TableDef = {
  name: 'pipeline_targets',
  columns: [
    { name: 'inode_id', type: bigint },
    { name: 'block_id', type: bigint },
    { name: 'position', type: tinyint },
    { name: 'datanode_uuid', type: uuid },
    { name: 'storage_id', type: uuid },
  ],
  primaryKey: ['inode_id', 'block_id', 'position'],
  partitionBy: ['inode_id'],
};

export const datanodes: TableDef = {
  name: 'datanodes',
  columns: [
    { name: 'uuid', type: uuid },
    { name: 'ip_addr', type: { kind: 'varchar', length: 64 } },
    { name: 'host_name', type: { kind: 'varchar', length: 255 } },
    { name: 'xfer_port', type: int },
    { name: 'info_port', type: int },
    { name: 'ipc_port', type: int },
    { name: 'capacity', type: bigint, default: 0 },
    { name: 'dfs_used', type: bigint, default: 0 },
    { name: 'remaining', type: bigint, default: 0 },
    { name: 'block_pool_used', type: bigint, default: 0 },
    { name: 'non_dfs_used', type: bigint, default: 0 },
    { name: 'xceiver_count', type: int, default: 0 },
    { name: 'last_heartbeat', type: bigint },
    { name: 'registered_at', type: bigint },
    /** 0 normal, 1 decommissioning, 2 decommissioned, 3 dead. */
    { name: 'state', type: tinyint, default: 0 },
    { name: 'software_version', type: { kind: 'varchar', length: 64 }, default: '' },
  ],
  primaryKey: ['uuid'],
};

export const storages: TableDef = {
  name: 'storages',
  columns: [
    { name: 'storage_id', type: uuid },
    { name: 'datanode_uuid', type: uuid },
    /** StorageTypeProto: 1 DISK, 2 SSD, 3 ARCHIVE, 4 RAM_DISK, 5 PROVIDED. */
    { name: 'storage_type', type: tinyint, default: 1 },
    { name: 'capacity', type: bigint, default: 0 },
    { name: 'dfs_used', type: bigint, default: 0 },
    { name: 'remaining', type: bigint, default: 0 },
    { name: 'last_report', type: bigint, default: 0 },
  ],
  primaryKey: ['storage_id'],
  indexes: [{ name: 'storages_datanode', columns: ['datanode_uuid'] }],
};

/** Work for datanodes, handed out with their heartbeats: 1 transfer (replicate), 2 invalidate. */
export const datanodeCommands: TableDef = {
  name: 'datanode_commands',
  columns: [
    { name: 'datanode_uuid', type: uuid },
    { name: 'block_id', type: bigint },
    { name: 'kind', type: tinyint },
    { name: 'generation_stamp', type: bigint },
    { name: 'num_bytes', type: bigint },
    /** Comma-separated target datanode uuids for a transfer. */
    { name: 'targets', type: { kind: 'varchar', length: 1024 }, default: '' },
    { name: 'created_at', type: bigint },
  ],
  primaryKey: ['datanode_uuid', 'block_id', 'kind'],
  partitionBy: ['datanode_uuid'],
};

/** Blocks with fewer live replicas than their file asks for, and transfers in flight. */
export const underReplicated: TableDef = {
  name: 'under_replicated',
  columns: [
    { name: 'block_id', type: bigint },
    { name: 'inode_id', type: bigint },
    { name: 'queued_at', type: bigint },
    /** When a transfer was scheduled; re-queued if no replica arrives in time. */
    { name: 'scheduled_at', type: bigint, default: 0 },
  ],
  primaryKey: ['block_id'],
};

/** Namenodes of the fleet: heartbeats for leader election. */
export const namenodes: TableDef = {
  name: 'namenodes',
  columns: [
    { name: 'id', type: bigint },
    { name: 'rpc_address', type: { kind: 'varchar', length: 255 } },
    { name: 'http_address', type: { kind: 'varchar', length: 255 } },
    { name: 'started_at', type: bigint },
    { name: 'heartbeat_counter', type: bigint, default: 0 },
    { name: 'last_heartbeat', type: bigint },
  ],
  primaryKey: ['id'],
};

export const tablesV2: readonly TableDef[] = [blocks, replicas, pipelineTargets, datanodes, storages, datanodeCommands, underReplicated, namenodes];
