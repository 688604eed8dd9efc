import { DatanodeState, isLive, liveAfter, type DatanodeInfo } from '../../domain/datanode-info';
import type { NamenodeMember, NamespaceTotals } from '../../domain/fleet-status';
import type { FsStats } from '../../domain/fs-stats';
import type { Namesystem } from '../../namesystem';
import type { HealthState } from '../health-probe';
import { cached } from './cached';
import { fetchPeer } from './peer-fetch';

/** This namenode's place in the fleet (from its leader election). */
export interface SelfIdentity {
  readonly id: number;
  readonly leader: boolean;
}

export interface FleetViewOptions {
  readonly ns: Namesystem;
  readonly self: () => SelfIdentity;
  readonly health: { current(): HealthState };
  readonly version: string;
  /** Epoch ms this namenode process started. */
  readonly startedAt: number;
  /** How long to reuse the whole-table counts; a peer's /healthz deadline. */
  readonly totalsTtlMs?: number;
  readonly peerTimeoutMs?: number;
}

export type DatanodeLiveness = 'live' | 'dead';

/** Hadoop's AdminStates names, as its web UI and /jmx show them. */
const ADMIN_STATES: Record<DatanodeState, string> = {
  [DatanodeState.Normal]: 'In Service',
  [DatanodeState.Decommissioning]: 'Decommission In Progress',
  [DatanodeState.Decommissioned]: 'Decommissioned',
  [DatanodeState.Dead]: 'In Service',
};

export interface DatanodeView {
  readonly uuid: string;
  readonly hostName: string;
  readonly ipAddr: string;
  readonly xferAddr: string;
  readonly infoAddr: string;
  readonly liveness: DatanodeLiveness;
  readonly adminState: string;
  readonly lastContactSeconds: number;
  readonly capacity: number;
  readonly used: number;
  readonly nonDfsUsed: number;
  readonly remaining: number;
  readonly blockPoolUsed: number;
  readonly blocks: number;
  readonly xceivers: number;
}

export interface NamenodeView extends NamenodeMember {
  readonly leader: boolean;
  readonly self: boolean;
  readonly healthy: boolean;
  readonly health: string;
}

export interface Overview {
  readonly clusterId: string;
  readonly namespaceId: number;
  readonly blockPoolId: string;
  readonly version: string;
  readonly servedBy: { readonly id: number; readonly leader: boolean; readonly startedAt: number };
  readonly namenodes: readonly NamenodeView[];
  readonly leaderId: number | undefined;
  readonly totals: NamespaceTotals;
  readonly capacity: { readonly total: number; readonly used: number; readonly nonDfsUsed: number; readonly remaining: number };
  readonly blocks: { readonly underReplicated: number; readonly pendingDeletion: number; readonly missing: number; readonly corrupt: number };
  readonly datanodes: { readonly live: number; readonly dead: number; readonly decommissioning: number };
}

/**
 * What the web UI and /jmx show, read through the one Namesystem: the
 * namespace's identity and totals, the datanodes with their liveness by
 * the fleet's one rule, and the namenodes of the fleet with their leader
 * and health (this one's from its own probe, the others' from their
 * /healthz).
 */
export class FleetView {
  readonly #o: FleetViewOptions;
  readonly #totals: () => Promise<NamespaceTotals>;
  readonly #replicas: () => Promise<ReadonlyMap<string, number>>;

  constructor(o: FleetViewOptions) {
    this.#o = o;
    const ttl = o.totalsTtlMs ?? 2000;
    this.#totals = cached(() => o.ns.getNamespaceTotals(), ttl);
    this.#replicas = cached(() => o.ns.getReplicasPerDatanode(), ttl);
  }

  get version(): string {
    return this.#o.version;
  }

  get startedAt(): number {
    return this.#o.startedAt;
  }

  self(): SelfIdentity {
    return this.#o.self();
  }

  identity(): ReturnType<Namesystem['namespace']> {
    return this.#o.ns.namespace();
  }

  totals(): Promise<NamespaceTotals> {
    return this.#totals();
  }

  fsStats(): Promise<FsStats> {
    return this.#o.ns.getFsStats();
  }

  async datanodes(): Promise<DatanodeView[]> {
    const now = Date.now();
    const [all, replicas] = await Promise.all([this.#o.ns.getDatanodeReport('all'), this.#replicas()]);
    const after = liveAfter(now, this.#o.ns.config.heartbeatExpiryMs);
    return all
      .map((d) => datanodeView(d, isLive(d, after) ? 'live' : 'dead', replicas.get(d.uuid) ?? 0, now))
      .sort((a, b) => a.hostName.localeCompare(b.hostName) || a.xferAddr.localeCompare(b.xferAddr));
  }

  /** The live namenodes as their rows say (no health probe), the leader first. */
  members(): Promise<NamenodeMember[]> {
    return this.#o.ns.getFleetNamenodes();
  }

  async namenodes(): Promise<NamenodeView[]> {
    const members = await this.members();
    const self = this.#o.self();
    return Promise.all(
      members.map(async (m, i): Promise<NamenodeView> => {
        const health = m.id === self.id ? this.#ownHealth() : await this.#peerHealth(m.httpAddress);
        return { ...m, leader: i === 0, self: m.id === self.id, ...health };
      }),
    );
  }

  async overview(): Promise<Overview> {
    const [identity, totals, stats, datanodes, namenodes] = await Promise.all([this.identity(), this.totals(), this.fsStats(), this.datanodes(), this.namenodes()]);
    const live = datanodes.filter((d) => d.liveness === 'live');
    const self = this.#o.self();
    return {
      clusterId: identity.clusterId,
      namespaceId: identity.namespaceId,
      blockPoolId: identity.blockPoolId,
      version: this.#o.version,
      servedBy: { id: self.id, leader: self.leader, startedAt: this.#o.startedAt },
      namenodes,
      leaderId: namenodes[0]?.id,
      totals,
      capacity: {
        total: stats.capacity,
        used: stats.used,
        nonDfsUsed: live.reduce((n, d) => n + d.nonDfsUsed, 0),
        remaining: stats.remaining,
      },
      blocks: { underReplicated: stats.underReplicated, pendingDeletion: stats.pendingDeletionBlocks, missing: stats.missingBlocks, corrupt: stats.corruptBlocks },
      datanodes: {
        live: live.length,
        dead: datanodes.length - live.length,
        decommissioning: datanodes.filter((d) => d.adminState === ADMIN_STATES[DatanodeState.Decommissioning]).length,
      },
    };
  }

  #ownHealth(): { healthy: boolean; health: string } {
    const h = this.#o.health.current();
    return { healthy: h.healthy, health: h.healthy ? 'ok' : h.reason };
  }

  async #peerHealth(httpAddress: string): Promise<{ healthy: boolean; health: string }> {
    try {
      const answer = await fetchPeer(httpAddress, '/healthz', this.#o.peerTimeoutMs ?? 1000);
      return { healthy: answer.status === 200, health: answer.body.trim().slice(0, 200) || `HTTP ${answer.status}` };
    } catch (err) {
      return { healthy: false, health: `unreachable: ${err instanceof Error ? err.message : String(err)}` };
    }
  }
}

function datanodeView(d: DatanodeInfo, liveness: DatanodeLiveness, blocks: number, now: number): DatanodeView {
  return {
    uuid: d.uuid,
    hostName: d.hostName,
    ipAddr: d.ipAddr,
    xferAddr: `${d.ipAddr}:${d.xferPort}`,
    infoAddr: `${d.ipAddr}:${d.infoPort}`,
    liveness,
    adminState: ADMIN_STATES[d.state],
    lastContactSeconds: Math.max(0, Math.round((now - d.lastHeartbeat) / 1000)),
    capacity: d.capacity,
    used: d.dfsUsed,
    nonDfsUsed: d.nonDfsUsed,
    remaining: d.remaining,
    blockPoolUsed: d.blockPoolUsed,
    blocks,
    xceivers: d.xceiverCount,
  };
}
