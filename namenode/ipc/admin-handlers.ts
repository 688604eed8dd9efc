import { hadoop } from '../../protocol/generated/hadoop';
import { int64ToBigInt, int64ToNumber, type Int64 } from '../../protocol/long-values';
import type { StorageType } from '../domain/storage';
import { typeQuotaInfosProto } from './quota-proto';
import { illegalArgument } from '../errors';
import { protoHandler, type RpcCallContext, type RpcHandler } from '../../protocol/ipc/rpc-handler';
import type { Namesystem } from '../namesystem';
import type { SafeModeAction } from '../domain/safe-mode-action';
import type { OpenFilesType } from '../domain/open-file';
import { hadoopExceptionOf } from '../domain/hadoop-exceptions';
import type { Caller } from '../security/caller';
import { requireSuperuser } from '../security/superuser';
import type { CallerResolver } from '../security/caller-resolver';
import { datanodeInfoProto, locatedBlocksProto } from './block-proto';
import type { BlockTokenIssuer } from './block-tokens';
import { REPORT_TYPE } from './report-type-proto';
import { toStatusProto } from './status-proto';

const H = hadoop.hdfs;

const OPEN_FILES_TYPE = new Map<hadoop.hdfs.OpenFilesTypeProto, OpenFilesType>([
  [H.OpenFilesTypeProto.ALL_OPEN_FILES, 'all'],
  [H.OpenFilesTypeProto.BLOCKING_DECOMMISSION, 'blockingDecommission'],
]);

const SAFE_MODE_ACTION = new Map<hadoop.hdfs.SafeModeActionProto, SafeModeAction>([
  [H.SafeModeActionProto.SAFEMODE_GET, 'get'],
  [H.SafeModeActionProto.SAFEMODE_ENTER, 'enter'],
  [H.SafeModeActionProto.SAFEMODE_LEAVE, 'leave'],
  [H.SafeModeActionProto.SAFEMODE_FORCE_EXIT, 'forceExit'],
]);

/**
 * The administrative and fleet-wide ClientProtocol calls (safe mode, HA
 * state, reports) and the calls whose honest answer is "none" in nnfleet
 * (no encryption, no delegation tokens under SIMPLE
 * authentication, no erasure-coded block groups), as HDFS answers them
 * when the feature is off.
 */
export function adminHandlers(ns: Namesystem, callers: CallerResolver, tokens: BlockTokenIssuer): Record<string, RpcHandler> {
  const as = (ctx: RpcCallContext): Caller => callers.resolve(ctx);
  return {
    // `checked` asks HDFS to check the namenode's HA state first: every nnfleet namenode is active, so it changes nothing.
    setSafeMode: protoHandler(H.SetSafeModeRequestProto, H.SetSafeModeResponseProto, async (ctx, req) => {
      const action = SAFE_MODE_ACTION.get(req.action);
      if (action === undefined) throw illegalArgument(`Unknown safe mode action ${req.action}`);
      return { result: await ns.setSafeMode(as(ctx), action) };
    }),
    // Observer reads wait for the client's state id: every namenode reads the database itself, so there is nothing to wait for.
    msync: protoHandler(H.MsyncRequestProto, H.MsyncResponseProto, async (ctx) => {
      as(ctx);
      return {};
    }),
    getHAServiceState: protoHandler(H.HAServiceStateRequestProto, H.HAServiceStateResponseProto, async (ctx) => {
      as(ctx);
      return { state: hadoop.common.HAServiceStateProto.ACTIVE };
    }),
    getDatanodeStorageReport: protoHandler(H.GetDatanodeStorageReportRequestProto, H.GetDatanodeStorageReportResponseProto, async (ctx, req) => {
      const type = REPORT_TYPE.get(req.type);
      const report = type === undefined ? [] : await ns.getDatanodeStorageReport(as(ctx), type);
      return {
        datanodeStorageReports: report.map(({ datanode: d, storages }) => ({
          datanodeInfo: datanodeInfoProto(d),
          storageReports: storages.map((s) => ({
            storageUuid: s.storageId,
            failed: false,
            capacity: d.capacity,
            dfsUsed: d.dfsUsed,
            remaining: d.remaining,
            blockPoolUsed: d.blockPoolUsed,
            nonDfsUsed: d.nonDfsUsed,
            storage: { storageUuid: s.storageId, storageType: s.storageType as hadoop.hdfs.StorageTypeProto },
          })),
        })),
      };
    }),
    // The hosts exclude file of this namenode decides, fleet-wide (blocks/refresh-nodes); the answer is empty, as HDFS's.
    refreshNodes: protoHandler(H.RefreshNodesRequestProto, H.RefreshNodesResponseProto, async (ctx) => {
      await ns.refreshNodes(as(ctx));
      return {};
    }),
    getQuotaUsage: protoHandler(H.GetQuotaUsageRequestProto, H.GetQuotaUsageResponseProto, async (ctx, req) => {
      const { typeQuotaInfos, ...usage } = await ns.getQuotaUsage(as(ctx), req.path);
      return { usage: { ...usage, ...typeQuotaInfosProto(typeQuotaInfos) } };
    }),
    // The quotas travel as uint64 holding Java's signed longs (QUOTA_RESET is -1); storageType is optional.
    setQuota: protoHandler(H.SetQuotaRequestProto, H.SetQuotaResponseProto, async (ctx, req) => {
      const signed = (v: Int64) => BigInt.asIntN(64, int64ToBigInt(v));
      const storageType = Object.prototype.hasOwnProperty.call(req, 'storageType') && req.storageType !== null ? (req.storageType as number as StorageType) : undefined;
      await ns.setQuota(as(ctx), { path: req.path, namespaceQuota: signed(req.namespaceQuota), storagespaceQuota: signed(req.storagespaceQuota), storageType });
      return {};
    }),
    // HdfsLocatedFileStatus: the status and, for a file, all its blocks (a token only when asked).
    getLocatedFileInfo: protoHandler(H.GetLocatedFileInfoRequestProto, H.GetLocatedFileInfoResponseProto, async (ctx, req) => {
      const caller = as(ctx);
      const status = await ns.getFileInfo(caller, req.src);
      if (!status) return { fs: null };
      if (status.type !== 'file') return { fs: toStatusProto(status) };
      const blocks = await ns.getBlockLocations(caller, req.src, 0, status.length);
      const pool = (await ns.namespace()).blockPoolId;
      const signer = req.needBlockToken ? await tokens.signer(caller.user, pool, ['READ']) : undefined;
      return { fs: toStatusProto(status, locatedBlocksProto(blocks, pool, signer)) };
    }),
    // Old clients send neither types nor path: every open file under /.
    listOpenFiles: protoHandler(H.ListOpenFilesRequestProto, H.ListOpenFilesResponseProto, async (ctx, req) => {
      const types = (req.types ?? []).flatMap((t) => OPEN_FILES_TYPE.get(t) ?? []);
      const batch = await ns.listOpenFiles(as(ctx), int64ToNumber(req.id), types, req.path || '/');
      return { entries: batch.entries.map((e) => ({ ...e })), hasMore: batch.hasMore, types: req.types ?? [] };
    }),
    getBatchedListing: protoHandler(H.GetBatchedListingRequestProto, H.GetBatchedListingResponseProto, async (ctx, req) => {
      const caller = as(ctx);
      const batch = await ns.getBatchedListing(caller, req.paths ?? [], Buffer.from(req.startAfter), req.needLocation);
      const pool = req.needLocation ? (await ns.namespace()).blockPoolId : '';
      const sign = req.needLocation ? await tokens.signer(caller.user, pool, ['READ']) : undefined;
      return {
        listings: batch.listings.map((l) => ({
          partialListing: l.entries.map((e) => toStatusProto(e.status, e.locations && locatedBlocksProto(e.locations, pool, sign))),
          parentIdx: l.parentIndex,
          exception: l.error === undefined ? null : { className: hadoopExceptionOf(l.error).javaClassName, message: (l.error as Error).message },
        })),
        hasMore: batch.hasMore,
        startAfter: batch.cookie,
      };
    }),
    reportBadBlocks: protoHandler(H.ReportBadBlocksRequestProto, H.ReportBadBlocksResponseProto, async (ctx, req) => {
      as(ctx);
      const bad = (req.blocks ?? []).flatMap((lb) =>
        (lb.locs ?? []).map((loc, i) => ({ blockId: int64ToNumber(lb.b.blockId), datanodeUuid: loc.id.datanodeUuid, storageId: lb.storageIDs?.[i] ?? '' })),
      );
      await ns.reportBadBlocks(bad);
      return {};
    }),
    getFsReplicatedBlockStats: protoHandler(H.GetFsReplicatedBlockStatsRequestProto, H.GetFsReplicatedBlockStatsResponseProto, async (ctx) => {
      as(ctx);
      // getFsStats' block counts, under-replicated named low redundancy.
      const { underReplicated, liveDatanodes: _n, capacity: _c, used: _u, remaining: _r, ...counts } = await ns.getFsStats();
      return { lowRedundancy: underReplicated, ...counts };
    }),
    // No file is erasure-coded: no block group is ever low, corrupt or missing.
    getFsECBlockGroupStats: protoHandler(H.GetFsECBlockGroupStatsRequestProto, H.GetFsECBlockGroupStatsResponseProto, async (ctx) => {
      as(ctx);
      return { lowRedundancy: 0, corruptBlocks: 0, missingBlocks: 0, blocksInFuture: 0, pendingDeletionBlocks: 0 };
    }),
    // No slow-peer tracking: no datanode is reported slow.
    getSlowDatanodeReport: protoHandler(H.GetSlowDatanodeReportRequestProto, H.GetSlowDatanodeReportResponseProto, async (ctx) => {
      as(ctx);
      return { datanodeInfoProto: [] };
    }),
    // Data transfer is not encrypted: HDFS answers no key.
    getDataEncryptionKey: protoHandler(H.GetDataEncryptionKeyRequestProto, H.GetDataEncryptionKeyResponseProto, async (ctx) => {
      as(ctx);
      return { dataEncryptionKey: null };
    }),
    // No encryption zones: no path is in one.
    getEZForPath: protoHandler(H.GetEZForPathRequestProto, H.GetEZForPathResponseProto, async (ctx) => {
      as(ctx);
      return { zone: null };
    }),
    // With no encryption zones the superuser's list is empty (the client's trash code lists them on -expunge).
    listEncryptionZones: protoHandler(H.ListEncryptionZonesRequestProto, H.ListEncryptionZonesResponseProto, async (ctx) => {
      requireSuperuser(as(ctx));
      return { zones: [], hasMore: false };
    }),
    // The enclosing root is an encryption zone's root; with none, the root of the namespace.
    getEnclosingRoot: protoHandler(H.GetEnclosingRootRequestProto, H.GetEnclosingRootResponseProto, async (ctx) => {
      as(ctx);
      return { enclosingRootPath: '/' };
    }),
    // Under SIMPLE authentication HDFS runs no token secret manager and answers no token; MapReduce job submission asks anyway.
    getDelegationToken: protoHandler(hadoop.common.GetDelegationTokenRequestProto, hadoop.common.GetDelegationTokenResponseProto, async (ctx) => {
      as(ctx);
      return { token: null };
    }),
  };
}
