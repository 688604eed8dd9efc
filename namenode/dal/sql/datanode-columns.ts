import type { DatanodeInfo, DatanodeState } from '../../domain/datanode-info';
import type { Location } from '../../domain/located-blocks';
import type { SqlRow } from './sql-session';
import { num, text } from './sql-values';

/** The datanode columns every join with `datanodes d` selects, and their decoder: written once. */
export const DATANODE_COLUMNS =
  'd.uuid, d.ip_addr, d.host_name, d.xfer_port, d.info_port, d.ipc_port, d.capacity, d.dfs_used, d.remaining, d.block_pool_used, d.non_dfs_used, d.xceiver_count, d.last_heartbeat, d.state';

export const toDatanodeInfo = (r: SqlRow): DatanodeInfo => ({
  uuid: text(r['uuid']),
  ipAddr: text(r['ip_addr']),
  hostName: text(r['host_name']),
  xferPort: num(r['xfer_port']),
  infoPort: num(r['info_port']),
  ipcPort: num(r['ipc_port']),
  capacity: num(r['capacity']),
  dfsUsed: num(r['dfs_used']),
  remaining: num(r['remaining']),
  blockPoolUsed: num(r['block_pool_used']),
  nonDfsUsed: num(r['non_dfs_used']),
  xceiverCount: num(r['xceiver_count']),
  lastHeartbeat: num(r['last_heartbeat']),
  state: num(r['state']) as DatanodeState,
});

/** A row of a join of `datanodes d` with `storages s` (storage_id, storage_type). */
export const toLocation = (r: SqlRow): Location => ({
  datanode: toDatanodeInfo(r),
  storageId: text(r['storage_id']),
  storageType: num(r['storage_type'] ?? 1),
});
