import { hadoop } from '../../protocol/generated/hadoop';
import { int64ToNumber } from '../../protocol/long-values';
import type { DatanodeRow } from '../dal/block-row';
import type { DatanodeIdentity } from '../blocks/datanode-manager';

const n = (v: unknown): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : int64ToNumber(v as never));

export function identityOf(id: hadoop.hdfs.DatanodeIDProto.$Properties): DatanodeIdentity {
  return { uuid: id.datanodeUuid, ipAddr: id.ipAddr, hostName: id.hostName, xferPort: id.xferPort, infoPort: id.infoPort, ipcPort: id.ipcPort };
}

/** A DatanodeInfoProto a client sent back (existing pipeline nodes) as a row. */
export function datanodeRowOf(d: hadoop.hdfs.DatanodeInfoProto.$Properties): DatanodeRow {
  return {
    ...identityOf(d.id),
    capacity: n(d.capacity),
    dfsUsed: n(d.dfsUsed),
    remaining: n(d.remaining),
    blockPoolUsed: n(d.blockPoolUsed),
    nonDfsUsed: n(d.nonDfsUsed),
    xceiverCount: d.xceiverCount ?? 0,
    lastHeartbeat: n(d.lastUpdate),
    state: d.adminState ?? 0,
  };
}
