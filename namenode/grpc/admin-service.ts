import type { Logger } from 'pino';
import type { AdminHandlers } from '../../protocol/generated/nnfleet/nnfleet/admin/v1/Admin';
import type { Datanode } from '../../protocol/generated/nnfleet/nnfleet/admin/v1/Datanode';
import type { DatanodeFilter__Output } from '../../protocol/generated/nnfleet/nnfleet/admin/v1/DatanodeFilter';
import type { DatanodeState__Output } from '../../protocol/generated/nnfleet/nnfleet/admin/v1/DatanodeState';
import type { FleetStatusResponse } from '../../protocol/generated/nnfleet/nnfleet/admin/v1/FleetStatusResponse';
import type { FsckEvent } from '../../protocol/generated/nnfleet/nnfleet/admin/v1/FsckEvent';
import { nnfleetService } from '../../protocol/grpc/nnfleet-protos';
import { DatanodeState, isLive, liveAfter, type DatanodeInfo } from '../domain/datanode-info';
import type { DatanodeReportType } from '../domain/datanode-report-type';
import type { NamespaceCheck } from '../domain/namespace-check';
import { fileNotFound, illegalArgument } from '../errors';
import type { Namesystem } from '../namesystem';
import type { CallerResolver } from '../security/caller-resolver';
import { requireSuperuser } from '../security/superuser';
import { GrpcHandlers } from './grpc-handlers';
import type { GrpcServiceRegistration } from './grpc-service';

export const ADMIN_SERVICE = 'nnfleet.admin.v1.Admin';

/** This namenode's place in the leader election, and its lever to step down. */
export interface AdminElection {
  readonly id: number;
  handOver(): Promise<{ previousId: number; newId: number }>;
}

export interface AdminServiceOptions {
  readonly ns: Namesystem;
  readonly callers: CallerResolver;
  readonly election: () => AdminElection | undefined;
  /** This namenode's database probe. */
  readonly databaseReachable: () => boolean;
  /** The Redis hint cache's reachability; undefined when the fleet runs without one. */
  readonly redisReachable?: (() => boolean) | undefined;
  /** nnfleet's table-level fsck (a whole-table scan; the superuser's only). */
  readonly checkNamespace: () => Promise<NamespaceCheck>;
  readonly version: string;
  readonly logger: Logger;
}

const STATES: Record<DatanodeState, DatanodeState__Output> = {
  [DatanodeState.Normal]: 'DATANODE_STATE_NORMAL',
  [DatanodeState.Decommissioning]: 'DATANODE_STATE_DECOMMISSIONING',
  [DatanodeState.Decommissioned]: 'DATANODE_STATE_DECOMMISSIONED',
  [DatanodeState.Dead]: 'DATANODE_STATE_DEAD',
};

const FILTERS: Record<DatanodeFilter__Output, DatanodeReportType> = {
  DATANODE_FILTER_ALL: 'all',
  DATANODE_FILTER_LIVE: 'live',
  DATANODE_FILTER_DEAD: 'dead',
  DATANODE_FILTER_DECOMMISSIONING: 'decommissioning',
};

/**
 * nnfleet.admin.v1.Admin over the one Namesystem: reads for anyone (as
 * `hdfs dfsadmin -report` is), changes for the superuser (the Namesystem
 * checks), errors mapped once by GrpcHandlers.
 */
export function adminService(o: AdminServiceOptions): GrpcServiceRegistration {
  const h = new GrpcHandlers(o.callers, o.logger);
  const { ns } = o;
  const datanodeOf = async (d: DatanodeInfo, replicas?: ReadonlyMap<string, number>): Promise<Datanode> => {
    const now = Date.now();
    const counts = replicas ?? (await ns.getReplicasPerDatanode());
    return {
      uuid: d.uuid,
      ipAddr: d.ipAddr,
      hostName: d.hostName,
      xferPort: d.xferPort,
      infoPort: d.infoPort,
      ipcPort: d.ipcPort,
      state: STATES[d.state],
      live: isLive(d, liveAfter(now, ns.config.heartbeatExpiryMs)),
      lastHeartbeatAgeMs: Math.max(0, now - d.lastHeartbeat),
      capacityBytes: d.capacity,
      dfsUsedBytes: d.dfsUsed,
      remainingBytes: d.remaining,
      nonDfsUsedBytes: d.nonDfsUsed,
      xceivers: d.xceiverCount,
      replicas: counts.get(d.uuid) ?? 0,
    };
  };
  const named = (name: string): string => {
    if (name === '') throw illegalArgument('name the datanode: its uuid or HOST:XFERPORT');
    return name;
  };
  const implementation: AdminHandlers = {
    FleetStatus: h.unary(async (): Promise<FleetStatusResponse> => {
      const [namenodes, stats, datanodes, schemaVersion, keyAge, safeMode] = await Promise.all([
        ns.getFleetNamenodes(),
        ns.getFsStats(),
        ns.getDatanodeReport('all'),
        ns.getSchemaVersion(),
        ns.getBlockKeyAge(),
        ns.getSafeMode(),
      ]);
      const after = liveAfter(Date.now(), ns.config.heartbeatExpiryMs);
      const live = datanodes.filter((d) => isLive(d, after));
      const redis = o.redisReachable?.();
      return {
        namenodes: namenodes.map((n, i) => ({ id: n.id, rpcAddress: n.rpcAddress, httpAddress: n.httpAddress, leader: i === 0, uptimeMs: n.uptimeMs, heartbeatAgeMs: n.heartbeatAgeMs })),
        leaderId: namenodes[0]?.id ?? 0,
        selfId: o.election()?.id ?? 0,
        database: o.databaseReachable() ? 'REACHABILITY_REACHABLE' : 'REACHABILITY_UNREACHABLE',
        redis: redis === undefined ? 'REACHABILITY_NOT_CONFIGURED' : redis ? 'REACHABILITY_REACHABLE' : 'REACHABILITY_UNREACHABLE',
        schemaVersion,
        ...(keyAge === undefined ? {} : { blockKeyAgeMs: keyAge }),
        safeMode,
        liveDatanodes: live.length,
        deadDatanodes: datanodes.length - live.length,
        decommissioningDatanodes: datanodes.filter((d) => d.state === DatanodeState.Decommissioning).length,
        capacityBytes: stats.capacity,
        usedBytes: stats.used,
        remainingBytes: stats.remaining,
        underReplicatedBlocks: stats.underReplicated,
        missingBlocks: stats.missingBlocks,
        corruptBlocks: stats.corruptBlocks,
        version: o.version,
      };
    }),
    ListDatanodes: h.unary(async (req) => {
      const [datanodes, replicas] = await Promise.all([ns.getDatanodeReport(FILTERS[req.filter]), ns.getReplicasPerDatanode()]);
      return { datanodes: await Promise.all(datanodes.map((d) => datanodeOf(d, replicas))) };
    }),
    GetDatanode: h.unary(async (req) => datanodeOf(await ns.getDatanode(named(req.datanode)))),
    Decommission: h.unary(async (req, caller) => datanodeOf(await ns.decommissionDatanode(caller, named(req.datanode)))),
    Recommission: h.unary(async (req, caller) => datanodeOf(await ns.recommissionDatanode(caller, named(req.datanode)))),
    Fsck: h.serverStream<{ path: string }, FsckEvent>(async (req, caller, send, cancelled) => {
      const path = req.path === '' ? '/' : req.path;
      if (!(await ns.getFileInfo(caller, path))) throw fileNotFound(`Path '${path}' does not exist`);
      const [summary, stats, live] = await Promise.all([ns.getContentSummary(caller, path), ns.getFsStats(), ns.getDatanodeReport('live')]);
      const check = caller.isSuperuser ? await o.checkNamespace() : undefined;
      for (const p of check?.problems ?? []) {
        if (cancelled()) return;
        await send({ problem: { invariant: p.invariant, sample: p.sample.map((row) => JSON.stringify(row)) } });
      }
      await send({
        summary: {
          healthy: stats.missingBlocks === 0 && stats.corruptBlocks === 0 && (check?.healthy ?? true),
          files: summary.fileCount,
          directories: summary.directoryCount,
          totalBytes: summary.length,
          liveDatanodes: live.length,
          defaultReplication: ns.getServerDefaults().replication,
          missingBlocks: stats.missingBlocks,
          corruptBlocks: stats.corruptBlocks,
          underReplicatedBlocks: stats.underReplicated,
          blocksPendingDeletion: stats.pendingDeletionBlocks,
          invariantsChecked: check !== undefined,
          inodes: check?.inodes ?? 0,
          reachableInodes: check?.reachable ?? 0,
        },
      });
    }),
    GetSafeMode: h.unary(async (_req, caller) => ({ on: await ns.setSafeMode(caller, 'get') })),
    SetSafeMode: h.unary(async (req, caller) => {
      if (req.action !== 'SAFE_MODE_ACTION_ENTER' && req.action !== 'SAFE_MODE_ACTION_LEAVE') throw illegalArgument('action: SAFE_MODE_ACTION_ENTER or SAFE_MODE_ACTION_LEAVE');
      return { on: await ns.setSafeMode(caller, req.action === 'SAFE_MODE_ACTION_ENTER' ? 'enter' : 'leave') };
    }),
    HandOverLeadership: h.unary(async (_req, caller) => {
      requireSuperuser(caller);
      const election = o.election();
      if (!election) throw illegalArgument('this namenode has not joined the leader election yet');
      const { previousId, newId } = await election.handOver();
      return { previousLeaderId: previousId, newId };
    }),
  };
  return { name: ADMIN_SERVICE, definition: nnfleetService(ADMIN_SERVICE), implementation };
}
