import type { Logger } from 'pino';
import { hadoop } from '../../protocol/generated/hadoop';
import { int64ToNumber } from '../../protocol/long-values';
import { protoHandler, type RpcHandler } from '../../protocol/ipc/rpc-handler';
import type { DatanodeCommand, ReplicaChange } from '../domain/datanode-messages';
import { NamesystemError } from '../errors';
import type { Namesystem } from '../namesystem';
import { datanodeInfoProto, locatedBlockProto } from './block-proto';
import { decodeBlockList } from './block-list-decoder';
import { identityOf } from './datanode-proto';
import type { DatanodeAuthenticator } from './datanode-auth';
import { namespaceInfoProto } from './namespace-info-proto';
import { keysFingerprint, type BlockTokenIssuer, type TokenSigner } from './block-tokens';

const H = hadoop.hdfs;
const D = hadoop.hdfs.datanode;
const Cmd = D.DatanodeCommandProto.Type;

const num = (v: unknown) => (v === undefined || v === null ? 0 : int64ToNumber(v as never));

function commandProto(c: DatanodeCommand, poolId: string, sign: TokenSigner): hadoop.hdfs.datanode.DatanodeCommandProto.$Properties {
  switch (c.kind) {
    case 'register':
      return { cmdType: Cmd.RegisterCommand, registerCmd: {} };
    case 'invalidate':
      return {
        cmdType: Cmd.BlockCommand,
        blkCmd: {
          action: D.BlockCommandProto.Action.INVALIDATE,
          blockPoolId: poolId,
          blocks: c.blocks.map((b) => ({ blockId: b.blockId, genStamp: b.genStamp, numBytes: b.numBytes })),
          targets: [],
        },
      };
    case 'recover':
      return {
        cmdType: Cmd.BlockRecoveryCommand,
        recoveryCmd: {
          blocks: [
            {
              newGenStamp: c.newGenStamp,
              truncateBlock: c.truncateTo === undefined ? null : { blockId: c.newBlockId ?? c.block.blockId, genStamp: c.newGenStamp, numBytes: c.truncateTo },
              block: locatedBlockProto({ block: { inodeId: 0, index: 0, blockId: c.block.blockId, genStamp: c.block.genStamp, numBytes: c.block.numBytes, state: 4 }, offset: 0, locations: c.holders, corrupt: false }, poolId, sign),
            },
          ],
        },
      };
    case 'transfer':
      return {
        cmdType: Cmd.BlockCommand,
        blkCmd: {
          action: D.BlockCommandProto.Action.TRANSFER,
          blockPoolId: poolId,
          blocks: [{ blockId: c.block.blockId, genStamp: c.block.genStamp, numBytes: c.block.numBytes }],
          targets: [{ datanodes: c.targets.map((t) => datanodeInfoProto(t.datanode)) }],
          targetStorageUuids: [{ storageUuids: c.targets.map((t) => t.storageId) }],
          targetStorageTypes: [{ storageTypes: c.targets.map((t) => t.storageType as hadoop.hdfs.StorageTypeProto) }],
        },
      };
  }
}

/**
 * DatanodeProtocol over Hadoop IPC. Every namenode of the fleet answers it:
 * descriptors, replicas and work queues are rows, so a datanode may report
 * to any of them.
 */
export function datanodeProtocolHandlers(ns: Namesystem, auth: DatanodeAuthenticator, tokens: BlockTokenIssuer, logger?: Logger): Record<string, RpcHandler> {
  const dm = ns.datanodes;
  // The key set each datanode was last handed by this namenode (bounded by the authenticated datanodes).
  const keysSent = new Map<string, string>();
  const checkPool = async (poolId: string) => {
    const mine = (await ns.namespace()).blockPoolId;
    if (poolId !== mine) throw new NamesystemError('IO', `Block pool ${poolId} is not served by this namespace (${mine})`);
    return mine;
  };
  return {
    versionRequest: protoHandler(H.VersionRequestProto, H.VersionResponseProto, async (ctx) => {
      await auth.authenticate(ctx);
      return { info: await namespaceInfoProto(ns) };
    }),
    registerDatanode: protoHandler(D.RegisterDatanodeRequestProto, D.RegisterDatanodeResponseProto, async (ctx, req) => {
      const reg = req.registration;
      await auth.authenticateAs(ctx, reg.datanodeID.datanodeUuid);
      const id = await ns.namespace();
      if (reg.storageInfo.clusterID && reg.storageInfo.clusterID !== id.clusterId) {
        throw new NamesystemError('IO', `Datanode belongs to cluster ${reg.storageInfo.clusterID}, this namespace is ${id.clusterId}`);
      }
      // As HDFS: the address is the one the connection comes from, whatever the message says.
      const datanodeID = { ...reg.datanodeID, ipAddr: connectionAddress(ctx.remoteAddress) };
      await dm.register(identityOf(datanodeID));
      const keys = await tokens.exportedKeys();
      keysSent.set(datanodeID.datanodeUuid, keysFingerprint(keys));
      return { registration: { ...reg, datanodeID, keys, storageInfo: { ...reg.storageInfo, namespceID: id.namespaceId, clusterID: id.clusterId } } };
    }),
    sendHeartbeat: protoHandler(D.HeartbeatRequestProto, D.HeartbeatResponseProto, async (ctx, req) => {
      const uuid = req.registration.datanodeID.datanodeUuid;
      await auth.authenticateAs(ctx, uuid);
      const reports = req.reports ?? [];
      const sum = (f: (r: (typeof reports)[number]) => unknown) => reports.reduce((t, r) => t + num(f(r)), 0);
      const commands = await dm.heartbeat(
        uuid,
        {
          capacity: sum((r) => r.capacity),
          dfsUsed: sum((r) => r.dfsUsed),
          remaining: sum((r) => r.remaining),
          blockPoolUsed: sum((r) => r.blockPoolUsed),
          nonDfsUsed: sum((r) => r.nonDfsUsed),
          xceiverCount: req.xceiverCount ?? 0,
        },
        reports.map((r) => ({
          storageId: r.storage?.storageUuid ?? r.storageUuid,
          storageType: r.storage?.storageType ?? 1,
          capacity: num(r.capacity),
          dfsUsed: num(r.dfsUsed),
          remaining: num(r.remaining),
        })),
      );
      const poolId = (await ns.namespace()).blockPoolId;
      const sign = await tokens.signer('', poolId, ['WRITE']);
      const cmds = commands.map((c) => commandProto(c, poolId, sign));
      if (!commands.some((c) => c.kind === 'register')) {
        const keys = await tokens.exportedKeys();
        const fingerprint = keysFingerprint(keys);
        if (keysSent.get(uuid) !== fingerprint) {
          cmds.push({ cmdType: Cmd.KeyUpdateCommand, keyUpdateCmd: { keys } });
          keysSent.set(uuid, fingerprint);
        }
      }
      return { cmds, haStatus: { state: H.NNHAStatusHeartbeatProto.State.ACTIVE, txid: 0 } };
    }),
    blockReport: protoHandler(D.BlockReportRequestProto, D.BlockReportResponseProto, async (ctx, req) => {
      const uuid = req.registration.datanodeID.datanodeUuid;
      // Before anything is decoded from the report.
      await auth.authenticateAs(ctx, uuid);
      await checkPool(req.blockPoolId);
      for (const r of req.reports ?? []) {
        const replicas = decodeBlockList(r.blocks ?? [], r.blocksBuffers ?? [], num(r.numberOfBlocks));
        await dm.fullReport(uuid, r.storage.storageUuid, replicas);
      }
      return {};
    }),
    blockReceivedAndDeleted: protoHandler(D.BlockReceivedAndDeletedRequestProto, D.BlockReceivedAndDeletedResponseProto, async (ctx, req) => {
      const uuid = req.registration.datanodeID.datanodeUuid;
      await auth.authenticateAs(ctx, uuid);
      await checkPool(req.blockPoolId);
      const changes: ReplicaChange[] = (req.blocks ?? []).flatMap((s) =>
        (s.blocks ?? []).map((b) => ({
          storageId: s.storage?.storageUuid ?? s.storageUuid,
          blockId: num(b.block.blockId),
          genStamp: num(b.block.genStamp),
          numBytes: num(b.block.numBytes),
          finalized: b.status === D.ReceivedDeletedBlockInfoProto.BlockStatus.RECEIVED,
          event: b.status as number,
        })),
      );
      await dm.replicasChanged(uuid, changes);
      return {};
    }),
    // As NameNodeRpcServer.errorReport: logged; a fatal disk error removes the datanode at once.
    errorReport: protoHandler(D.ErrorReportRequestProto, D.ErrorReportResponseProto, async (ctx, req) => {
      const uuid = req.registartion.datanodeID.datanodeUuid;
      await auth.authenticateAs(ctx, uuid);
      const report = { datanode: uuid, errorCode: D.ErrorReportRequestProto.ErrorCode[req.errorCode] ?? req.errorCode, msg: req.msg };
      if (req.errorCode === D.ErrorReportRequestProto.ErrorCode.FATAL_DISK_ERROR) {
        logger?.warn(report, 'fatal disk error on datanode: removing it');
        await dm.removeDatanode(uuid);
      } else if (req.errorCode === D.ErrorReportRequestProto.ErrorCode.DISK_ERROR) logger?.warn(report, 'disk error on datanode');
      else logger?.info(report, 'error report from datanode');
      return {};
    }),
    // Wire-identical to DatanodeProtocol's own ReportBadBlocksRequestProto (repeated LocatedBlockProto blocks = 1).
    reportBadBlocks: protoHandler(H.ReportBadBlocksRequestProto, H.ReportBadBlocksResponseProto, async (ctx, req) => {
      const reporter = await auth.authenticate(ctx);
      const bad = (req.blocks ?? []).flatMap((lb) =>
        (lb.locs ?? []).map((l, i) => ({ blockId: num(lb.b.blockId), datanodeUuid: l.id.datanodeUuid, storageId: lb.storageIDs?.[i] ?? '' })),
      );
      // A datanode vouches for its own replicas only.
      const foreign = bad.find((b) => b.datanodeUuid !== reporter);
      if (foreign) throw new NamesystemError('AccessDenied', `datanode ${reporter} may not report replicas of datanode ${foreign.datanodeUuid}`);
      await dm.markCorrupt(reporter, bad);
      return {};
    }),
  };
}

/** The connection's IPv4 address as Hadoop writes it (no IPv4-mapped IPv6 prefix). */
function connectionAddress(remote: string): string {
  return remote.startsWith('::ffff:') ? remote.slice('::ffff:'.length) : remote;
}
