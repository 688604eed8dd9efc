import { isStale, type DatanodeInfo } from '../domain/datanode-info';
import type { LocatedBlock, LocatedBlocks } from '../domain/located-blocks';
import type { NamesystemConfig } from '../namesystem-config';

type Timing = Pick<NamesystemConfig, 'heartbeatIntervalMs' | 'heartbeatExpiryMs' | 'staleDatanodeIntervalMs'>;

/** HDFS's avoidStaleNodes for one placement: datanodes whose last heartbeat is at or before `staleAt` are stale. */
export interface StaleAvoidance {
  readonly staleAt: number;
  /** dfs.namenode.write.stale.datanode.ratio */
  readonly ratio: number;
}

/**
 * How stale an idle datanode's row may look while it is healthy: the
 * HeartbeatBatcher rewrites it at most this often (far below the expiry
 * that declares a silent datanode dead), and a heartbeat may come up to one
 * interval after that.
 */
export const heartbeatRecordMs = (c: Timing): number => Math.min(10 * c.heartbeatIntervalMs, c.heartbeatExpiryMs / 10);

/**
 * The stale interval in force: the setting, but never below the rows'
 * granularity plus three heartbeats (HDFS's own floor is three heartbeats,
 * dfs.namenode.stale.datanode.minimum.interval): below that a healthy idle
 * datanode would flap between fresh and stale with each refresh of its row.
 */
export const staleIntervalMs = (c: Timing): number => Math.max(c.staleDatanodeIntervalMs, heartbeatRecordMs(c) + 3 * c.heartbeatIntervalMs);

/** The stale avoidance of a write placed at `now`, or none when dfs.namenode.avoid.write.stale.datanode is off. */
export const staleAvoidanceForWrite = (
  c: Timing & Pick<NamesystemConfig, 'avoidStaleDatanodeForWrite' | 'staleDatanodeWriteRatio'>,
  now: number,
): StaleAvoidance | undefined => (c.avoidStaleDatanodeForWrite ? { staleAt: now - staleIntervalMs(c), ratio: c.staleDatanodeWriteRatio } : undefined);

/**
 * DatanodeManager.shouldAvoidStaleDataNodesForWrite over the live
 * datanodes that could take the block: avoid stale ones unless more than
 * `ratio` of them are stale (then avoiding would pile every write on the
 * few left). Answers the staleAt to avoid, or undefined: avoid none.
 */
export function staleToAvoid(live: readonly { readonly datanode: DatanodeInfo }[], avoid: StaleAvoidance | undefined): number | undefined {
  if (!avoid) return undefined;
  const nodes = new Map(live.map((c) => [c.datanode.uuid, c.datanode]));
  let stale = 0;
  for (const d of nodes.values()) if (isStale(d, avoid.staleAt)) stale++;
  return stale <= nodes.size * avoid.ratio ? avoid.staleAt : undefined;
}

/** dfs.namenode.avoid.read.stale.datanode: each block's stale locations after its fresh ones, otherwise in the same order. */
export function staleLast(located: LocatedBlocks, staleAt: number): LocatedBlocks {
  const sort = (lb: LocatedBlock): LocatedBlock => {
    if (!lb.locations.some((l) => isStale(l.datanode, staleAt))) return lb;
    const fresh = lb.locations.filter((l) => !isStale(l.datanode, staleAt));
    return { ...lb, locations: [...fresh, ...lb.locations.filter((l) => isStale(l.datanode, staleAt))] };
  };
  const blocks = located.blocks.map(sort);
  const lastBlock = located.lastBlock && sort(located.lastBlock);
  return { ...located, blocks, lastBlock };
}
