import { hadoop } from '../../protocol/generated/hadoop';
import { int64ToNumber } from '../../protocol/long-values';
import { DatanodeState, type DatanodeIdentity, type DatanodeInfo } from '../domain/datanode-info';

const n = (v: unknown): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : int64ToNumber(v as never));

export function identityOf(id: hadoop.hdfs.DatanodeIDProto.$Properties): DatanodeIdentity {
  return { uuid: id.datanodeUuid, ipAddr: id.ipAddr, hostName: id.hostName, xferPort: id.xferPort, infoPort: id.infoPort, ipcPort: id.ipcPort };
}

/** DatanodeInfoProto.AdminState → the fleet's state (maintenance states are not modelled: Normal). */
const STATE_OF_ADMIN: Partial<Record<number, DatanodeState>> = { 1: DatanodeState.Decommissioning, 2: DatanodeState.Decommissioned };

/** A DatanodeInfoProto a client sent back (existing pipeline nodes) as a row. */
export function datanodeRowOf(d: hadoop.hdfs.DatanodeInfoProto.$Properties): DatanodeInfo {
  return {
    ...identityOf(d.id),
    capacity: n(d.capacity),
    dfsUsed: n(d.dfsUsed),
    remaining: n(d.remaining),
    blockPoolUsed: n(d.blockPoolUsed),
    nonDfsUsed: n(d.nonDfsUsed),
    xceiverCount: d.xceiverCount ?? 0,
    lastHeartbeat: n(d.lastUpdate),
    state: STATE_OF_ADMIN[d.adminState ?? 0] ?? DatanodeState.Normal,
  };
}
