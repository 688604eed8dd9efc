import type { DatanodeView, FleetView, Overview } from './fleet-view';

export type JmxValue = string | number | boolean | null;

/** One MBean as JMXJsonServlet writes it: its name, its modelerType, then its attributes. */
export interface JmxBean {
  readonly name: string;
  readonly modelerType: string;
  readonly attributes: Readonly<Record<string, JmxValue>>;
}

const FSNAMESYSTEM = 'org.apache.hadoop.hdfs.server.namenode.FSNamesystem';

/**
 * The beans operators' tools read from a NameNode's /jmx (NameNodeInfo,
 * FSNamesystemState, FSNamesystem, NameNodeStatus, java.lang Runtime), with
 * Hadoop's attribute names and JSON-in-a-string node maps, filled from the
 * fleet's tables. Attributes nnfleet has no counterpart for are left out
 * rather than invented.
 */
export async function namenodeBeans(view: FleetView, httpAddress: string): Promise<JmxBean[]> {
  const [o, datanodes] = await Promise.all([view.overview(), view.datanodes()]);
  const inodes = o.totals.files + o.totals.directories + o.totals.symlinks;
  const percent = (n: number) => (o.capacity.total > 0 ? (100 * n) / o.capacity.total : 0);
  const version = `${o.version}, nnfleet`;
  const live = datanodes.filter((d) => d.liveness === 'live');
  const dead = datanodes.filter((d) => d.liveness === 'dead');
  const decommissioning = datanodes.filter((d) => d.adminState === 'Decommission In Progress');
  const state = {
    CapacityTotal: o.capacity.total,
    CapacityUsed: o.capacity.used,
    CapacityRemaining: o.capacity.remaining,
    TotalLoad: live.reduce((n, d) => n + d.xceivers, 0),
    BlocksTotal: o.totals.blocks,
    FilesTotal: inodes,
    PendingReplicationBlocks: 0,
    UnderReplicatedBlocks: o.blocks.underReplicated,
    PendingDeletionBlocks: o.blocks.pendingDeletion,
    FSState: 'Operational',
    NumLiveDataNodes: live.length,
    NumDeadDataNodes: dead.length,
    NumDecomLiveDataNodes: live.filter((d) => d.adminState === 'Decommissioned').length,
    NumDecomDeadDataNodes: dead.filter((d) => d.adminState === 'Decommissioned').length,
    NumDecommissioningDataNodes: decommissioning.length,
  };
  return [
    {
      name: 'Hadoop:service=NameNode,name=NameNodeInfo',
      modelerType: 'org.apache.hadoop.hdfs.server.namenode.FSNamesystem',
      attributes: {
        Total: o.capacity.total,
        Used: o.capacity.used,
        Free: o.capacity.remaining,
        NonDfsUsedSpace: o.capacity.nonDfsUsed,
        PercentUsed: percent(o.capacity.used),
        PercentRemaining: percent(o.capacity.remaining),
        BlockPoolUsedSpace: o.capacity.used,
        PercentBlockPoolUsed: percent(o.capacity.used),
        TotalBlocks: o.totals.blocks,
        TotalFiles: inodes,
        NumberOfMissingBlocks: o.blocks.missing,
        Safemode: '',
        ClusterId: o.clusterId,
        BlockPoolId: o.blockPoolId,
        Version: version,
        SoftwareVersion: o.version,
        NNStartedTimeInMillis: o.servedBy.startedAt,
        UpgradeFinalized: true,
        LiveNodes: JSON.stringify(Object.fromEntries(live.map((d) => [nodeKey(d), liveNode(d, o)]))),
        DeadNodes: JSON.stringify(
          Object.fromEntries(dead.map((d) => [nodeKey(d), { lastContact: d.lastContactSeconds, decommissioned: d.adminState === 'Decommissioned', adminState: d.adminState, xferaddr: d.xferAddr }])),
        ),
        DecomNodes: JSON.stringify(Object.fromEntries(decommissioning.map((d) => [nodeKey(d), { xferaddr: d.xferAddr, underReplicatedBlocks: 0 }]))),
      },
    },
    { name: 'Hadoop:service=NameNode,name=FSNamesystemState', modelerType: FSNAMESYSTEM, attributes: state },
    {
      name: 'Hadoop:service=NameNode,name=FSNamesystem',
      modelerType: 'FSNamesystem',
      attributes: { 'tag.Context': 'dfs', 'tag.HAState': 'active', CapacityTotal: state.CapacityTotal, CapacityUsed: state.CapacityUsed, CapacityRemaining: state.CapacityRemaining, BlocksTotal: state.BlocksTotal, FilesTotal: state.FilesTotal, UnderReplicatedBlocks: state.UnderReplicatedBlocks, PendingDeletionBlocks: state.PendingDeletionBlocks, MissingBlocks: o.blocks.missing, CorruptBlocks: o.blocks.corrupt, NumLiveDataNodes: state.NumLiveDataNodes, NumDeadDataNodes: state.NumDeadDataNodes, TotalLoad: state.TotalLoad },
    },
    {
      name: 'Hadoop:service=NameNode,name=NameNodeStatus',
      modelerType: 'org.apache.hadoop.hdfs.server.namenode.NameNode',
      // Every nnfleet namenode is active: there is no standby to fail over to.
      attributes: { NNRole: 'NameNode', HostAndPort: httpAddress, SecurityEnabled: false, State: 'active', LastHATransitionTime: 0 },
    },
    {
      name: 'java.lang:type=Runtime',
      modelerType: 'sun.management.RuntimeImpl',
      attributes: { StartTime: view.startedAt, Uptime: Date.now() - view.startedAt, VmName: 'Node.js', VmVersion: process.version },
    },
  ];
}

function liveNode(d: DatanodeView, o: Overview): Record<string, JmxValue> {
  return {
    infoAddr: d.infoAddr,
    xferaddr: d.xferAddr,
    location: '/default-rack',
    uuid: d.uuid,
    lastContact: d.lastContactSeconds,
    usedSpace: d.used,
    adminState: d.adminState,
    nonDfsUsedSpace: d.nonDfsUsed,
    capacity: d.capacity,
    numBlocks: d.blocks,
    version: o.version,
    used: d.used,
    remaining: d.remaining,
    blockPoolUsed: d.blockPoolUsed,
    blockPoolUsedPercent: d.capacity > 0 ? (100 * d.blockPoolUsed) / d.capacity : 0,
    volfails: 0,
  };
}

/** NameNodeInfo keys its node maps by host name and transfer port (DatanodeID.getXferAddrWithHostname). */
const nodeKey = (d: DatanodeView): string => `${d.hostName}:${d.xferAddr.slice(d.xferAddr.lastIndexOf(':') + 1)}`;
