/** Who a datanode is and where it listens (DatanodeIDProto). */
export interface DatanodeIdentity {
  readonly uuid: string;
  readonly ipAddr: string;
  readonly hostName: string;
  readonly xferPort: number;
  readonly infoPort: number;
  readonly ipcPort: number;
}

/** What each heartbeat reports. */
export interface HeartbeatStats {
  readonly capacity: number;
  readonly dfsUsed: number;
  readonly remaining: number;
  readonly blockPoolUsed: number;
  readonly nonDfsUsed: number;
  readonly xceiverCount: number;
}

/** A datanode's administrative state (datanodes.state). */
export enum DatanodeState {
  Normal = 0,
  Decommissioning = 1,
  Decommissioned = 2,
  Dead = 3,
}

/** A datanode as the fleet knows it (DatanodeInfoProto). */
export interface DatanodeInfo extends DatanodeIdentity, HeartbeatStats {
  readonly lastHeartbeat: number;
  readonly state: DatanodeState;
}

/**
 * The one liveness rule: a datanode is live while it is not declared dead
 * and its last heartbeat is younger than the expiry
 * (dfs.namenode.heartbeat.recheck-interval's 10.5 min in HDFS; the setting
 * heartbeatExpiryMs here). `liveAfter` is the oldest heartbeat still live.
 */
export const liveAfter = (now: number, heartbeatExpiryMs: number): number => now - heartbeatExpiryMs;

export const isLive = (d: Pick<DatanodeInfo, 'state' | 'lastHeartbeat'>, heartbeatAfter: number): boolean =>
  d.state !== DatanodeState.Dead && d.lastHeartbeat > heartbeatAfter;

/**
 * dfs.namenode.stale.datanode.interval: a live datanode whose last heartbeat
 * is this old or older is stale — probably gone, not yet declared dead.
 * `staleAt` is now minus the interval; placement avoids stale datanodes for
 * writes and reads list them last (namenode/blocks/stale-datanodes.ts).
 */
export const isStale = (d: Pick<DatanodeInfo, 'lastHeartbeat'>, staleAt: number): boolean => d.lastHeartbeat <= staleAt;
