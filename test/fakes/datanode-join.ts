import type { DatanodeInfo } from '../../namenode/domain/datanode-info';
import type { Location } from '../../namenode/domain/located-blocks';
import type { MemoryTables } from './memory-tables';

/** The datanode columns the SQL selects (`DATANODE_COLUMNS`): registered_at stays in the table. */
export const datanodeInfo = (d: DatanodeInfo): DatanodeInfo => ({
  uuid: d.uuid,
  ipAddr: d.ipAddr,
  hostName: d.hostName,
  xferPort: d.xferPort,
  infoPort: d.infoPort,
  ipcPort: d.ipcPort,
  capacity: d.capacity,
  dfsUsed: d.dfsUsed,
  remaining: d.remaining,
  blockPoolUsed: d.blockPoolUsed,
  nonDfsUsed: d.nonDfsUsed,
  xceiverCount: d.xceiverCount,
  lastHeartbeat: d.lastHeartbeat,
  state: d.state,
});

/**
 * `… JOIN datanodes d ON d.uuid = ? LEFT JOIN storages s ON s.storage_id = ?`:
 * no location when the datanode row is gone; storage type 1 (DISK) when the
 * storage row is.
 */
export function joinLocation(t: MemoryTables, datanodeUuid: string, storageId: string): Location | undefined {
  const d = t.datanodes.get(datanodeUuid);
  if (!d) return undefined;
  return { datanode: datanodeInfo(d), storageId, storageType: t.storages.get(storageId)?.storageType ?? 1 };
}
