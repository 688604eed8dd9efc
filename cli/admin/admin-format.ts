import type { Datanode__Output } from '../../protocol/generated/nnfleet/nnfleet/admin/v1/Datanode';
import type { FleetStatusResponse__Output } from '../../protocol/generated/nnfleet/nnfleet/admin/v1/FleetStatusResponse';
import type { FsckProblem__Output } from '../../protocol/generated/nnfleet/nnfleet/admin/v1/FsckProblem';
import type { FsckSummary__Output } from '../../protocol/generated/nnfleet/nnfleet/admin/v1/FsckSummary';

const GB = 1024 ** 3;
const bytes = (n: number): string => `${n} (${(n / GB).toFixed(2)} GB)`;
const percent = (part: number, whole: number): string => (whole === 0 ? '0.00%' : `${((100 * part) / whole).toFixed(2)}%`);
const plain = (s: string, prefix: string): string => s.replace(prefix, '').toLowerCase();

/** `nnfleet admin report`: `hdfs dfsadmin -report`'s layout for the whole fleet, with the fleet's own lines first. */
export function formatReport(s: FleetStatusResponse__Output, datanodes: readonly Datanode__Output[]): string {
  const lines = [
    `Namenodes: ${s.namenodes.length} (leader ${s.leaderId || 'none'}, answered by ${s.selfId})`,
    `Database: ${plain(s.database, 'REACHABILITY_')}  Redis: ${plain(s.redis, 'REACHABILITY_')}  Schema version: ${s.schemaVersion}`,
    `Block token key age: ${s.blockKeyAgeMs === undefined ? 'none' : `${Math.round(Number(s.blockKeyAgeMs) / 1000)} s`}  Safe mode: ${s.safeMode ? 'ON' : 'off'}`,
    `Configured Capacity: ${bytes(s.capacityBytes)}`,
    `DFS Remaining: ${bytes(s.remainingBytes)}`,
    `DFS Used: ${bytes(s.usedBytes)}`,
    `DFS Used%: ${percent(s.usedBytes, s.capacityBytes)}`,
    `Under replicated blocks: ${s.underReplicatedBlocks}`,
    `Missing blocks: ${s.missingBlocks}`,
    `Blocks with corrupt replicas: ${s.corruptBlocks}`,
    '',
    '-------------------------------------------------',
    `Live datanodes (${s.liveDatanodes}):`,
    '',
    ...datanodes.filter((d) => d.live).flatMap(formatDatanode),
    `Dead datanodes (${s.deadDatanodes}):`,
    '',
    ...datanodes.filter((d) => !d.live).flatMap(formatDatanode),
  ];
  return `${lines.join('\n')}\n`;
}

const ADMIN_STATES: Record<string, string> = {
  DATANODE_STATE_NORMAL: 'Normal',
  DATANODE_STATE_DECOMMISSIONING: 'Decommission in progress',
  DATANODE_STATE_DECOMMISSIONED: 'Decommissioned',
  DATANODE_STATE_DEAD: 'Normal',
};

function formatDatanode(d: Datanode__Output): string[] {
  return [
    `Name: ${d.ipAddr}:${d.xferPort} (${d.hostName})`,
    `Uuid: ${d.uuid}`,
    `Decommission Status : ${ADMIN_STATES[d.state] ?? d.state}`,
    `Configured Capacity: ${bytes(d.capacityBytes)}`,
    `DFS Used: ${bytes(d.dfsUsedBytes)}`,
    `Non DFS Used: ${bytes(d.nonDfsUsedBytes)}`,
    `DFS Remaining: ${bytes(d.remainingBytes)}`,
    `Replicas: ${d.replicas}`,
    `Xceivers: ${d.xceivers}`,
    `Last contact: ${Math.round(d.lastHeartbeatAgeMs / 1000)} s ago`,
    '',
  ];
}

/** One line per namenode, the leader marked. */
export function formatNamenodes(s: FleetStatusResponse__Output): string {
  const rows = s.namenodes.map((n) => `${n.id}\t${n.leader ? 'leader' : '-'}\t${n.rpcAddress}\t${n.httpAddress}\tup ${Math.round(n.uptimeMs / 1000)} s\theartbeat ${n.heartbeatAgeMs} ms ago${n.id === s.selfId ? '\t(answered)' : ''}`);
  return `${['ID\tROLE\tRPC\tHTTP\tUPTIME\tHEARTBEAT', ...rows].join('\n')}\n`;
}

/** One line per datanode. */
export function formatDatanodes(datanodes: readonly Datanode__Output[]): string {
  const rows = datanodes.map((d) => `${d.ipAddr}:${d.xferPort}\t${d.uuid}\t${plain(d.state, 'DATANODE_STATE_')}\t${d.live ? 'live' : 'dead'}\t${d.replicas}\t${d.remainingBytes}`);
  return `${['ADDRESS\tUUID\tSTATE\tLIVENESS\tREPLICAS\tREMAINING', ...rows].join('\n')}\n`;
}

export function formatFsckProblem(p: FsckProblem__Output): string {
  return `CORRUPT: ${p.invariant}: [${p.sample.join(', ')}]\n`;
}

/** NamenodeFsck's summary and last line. */
export function formatFsckSummary(path: string, s: FsckSummary__Output): string {
  return [
    `Status: ${s.healthy ? 'HEALTHY' : 'CORRUPT'}`,
    ` Number of data-nodes:\t${s.liveDatanodes}`,
    ` Total dirs:\t${s.directories}`,
    ` Total files:\t${s.files}`,
    ` Total size:\t${s.totalBytes} B`,
    ` Default replication factor:\t${s.defaultReplication}`,
    ` Missing blocks:\t${s.missingBlocks}`,
    ` Corrupt blocks:\t${s.corruptBlocks}`,
    ` Under-replicated blocks:\t${s.underReplicatedBlocks}`,
    ` Blocks queued for deletion:\t${s.blocksPendingDeletion}`,
    ...(s.invariantsChecked ? [` Namespace invariants:\tchecked (${s.reachableInodes} of ${s.inodes} inodes reachable from /)`] : []),
    '',
    `The filesystem under path '${path}' ${s.healthy ? 'is HEALTHY' : 'is CORRUPT'}`,
    '',
  ].join('\n');
}
