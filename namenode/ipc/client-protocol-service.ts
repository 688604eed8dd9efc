import { typeQuotaInfosProto } from './quota-proto';
import Long from 'long';
import { hadoop } from '../../protocol/generated/hadoop';
import { int64ToNumber, type Int64 } from '../../protocol/long-values';
import { encodedAnswerHandler, protoHandler, type RpcCallContext, type RpcHandler } from '../../protocol/ipc/rpc-handler';
import { illegalArgument, NamesystemError } from '../errors';
import type { ChecksumType } from '../domain/server-defaults';
import type { Namesystem } from '../namesystem';
import { retryKey } from './call-retry-key';
import { linkHandlers } from './link-handlers';
import type { XAttrNamespace } from '../domain/xattr';
import type { Caller } from '../security/caller';
import type { CallerResolver } from '../security/caller-resolver';
import { toStatusProto } from './status-proto';
import { encodeListingResponse } from './listing-response-codec';
import { encodeFileInfoResponse } from './file-info-response-codec';
import { clientBlock, datanodeInfoProto, locatedBlockProto, locatedBlocksProto } from './block-proto';
import { datanodeRowOf } from './datanode-proto';
import type { BlockTokenIssuer } from './block-tokens';
import { aclHandlers } from './acl-handlers';
import { REPORT_TYPE } from './report-type-proto';
import { adminHandlers } from './admin-handlers';
import { inotifyHandlers } from './inotify-handlers';
import { snapshotHandlers } from './snapshot-handlers';

const H = hadoop.hdfs;

const CHECKSUM_TYPE: Record<ChecksumType, hadoop.hdfs.ChecksumTypeProto> = { CRC32C: H.ChecksumTypeProto.CHECKSUM_CRC32C };

/** uint64 fields where Java sends -1 for "unchanged" arrive as 2^64-1. */
const signed = (v: Int64): number => (typeof v === 'number' ? v : Long.fromValue(v).toSigned().toNumber());

/** A field proto2 calls optional but the operation cannot do without. */
function required<T>(v: T | null | undefined, field: string): T {
  if (v === null || v === undefined) throw illegalArgument(`${field} must be set`);
  return v;
}

const xattrOf = (x: hadoop.hdfs.XAttrProto.$Properties) => ({
  namespace: x.namespace as number as XAttrNamespace,
  name: x.name,
  value: x.value ? Buffer.from(x.value) : undefined,
});

const xattrProto = (x: { namespace: XAttrNamespace; name: string; value?: Buffer | undefined }) => ({
  namespace: x.namespace as number as hadoop.hdfs.XAttrProto.XAttrNamespaceProto,
  name: x.name,
  value: x.value ?? null,
});

/**
 * ClientProtocol over Hadoop IPC: decode, call the Namesystem, encode. No
 * logic lives here beyond translating messages; errors are mapped once by
 * the server's mapError (map-error.ts).
 */
export function clientProtocolHandlers(ns: Namesystem, callers: CallerResolver, tokens: BlockTokenIssuer): Record<string, RpcHandler> {
  const as = (ctx: RpcCallContext): Caller => callers.resolve(ctx);
  // The block pool id is fixed when the namespace is formatted: read once, then answered without a promise hop.
  let knownPool: string | undefined;
  const poolId = async () => (knownPool ??= (await ns.namespace()).blockPoolId);
  // Hadoop's modes: READ for reads, WRITE for a pipeline, COPY for the TRANSFER_BLOCK that fills in a new pipeline member.
  const signer = async (caller: Caller, pool: string, mode: 'READ' | 'WRITE' | 'COPY') => tokens.signer(caller.user, pool, [mode]);
  // A listing with block locations (listLocatedStatus): each file's blocks with read tokens, as getBlockLocations gives them.
  const locatedListingProto = async (caller: Caller, src: string, startAfter: string) => {
    const listing = await ns.getLocatedListing(caller, src, startAfter);
    if (!listing) return null;
    const pool = await poolId();
    const sign = await signer(caller, pool, 'READ');
    return {
      partialListing: listing.entries.map((e) => toStatusProto(e.status, e.locations && locatedBlocksProto(e.locations, pool, sign))),
      remainingEntries: listing.remaining,
    };
  };
  return {
    ...aclHandlers(ns, as),
    getServerDefaults: protoHandler(H.GetServerDefaultsRequestProto, H.GetServerDefaultsResponseProto, async () => {
      const d = ns.getServerDefaults();
      return {
        serverDefaults: {
          blockSize: d.blockSize,
          bytesPerChecksum: d.bytesPerChecksum,
          writePacketSize: d.writePacketSize,
          replication: d.replication,
          fileBufferSize: d.fileBufferSize,
          encryptDataTransfer: d.encryptDataTransfer,
          trashInterval: d.trashInterval,
          checksumType: CHECKSUM_TYPE[d.checksumType],
          keyProviderUri: '',
          // HOT (7), the default storage policy HDFS names here.
          policyId: 7,
          snapshotTrashRootEnabled: false,
        },
      };
    }),
    // The hottest call: its answer is written by its own encoder (file-info-response-codec.ts), as getListing's plain page.
    getFileInfo: encodedAnswerHandler(H.GetFileInfoRequestProto, (ctx, req) => ns.getFileInfo(as(ctx), req.src).then(encodeFileInfoResponse)),
    getFileLinkInfo: encodedAnswerHandler(H.GetFileLinkInfoRequestProto, async (ctx, req) => encodeFileInfoResponse(await ns.getFileLinkInfo(as(ctx), req.src))),
    // A plain page (the hot case) is written by its own encoder; a page with locations through protobufjs.
    // Not async (as getFileInfo's): the read's promise and one reaction.
    getListing: encodedAnswerHandler(H.GetListingRequestProto, (ctx, req) => {
      const caller = as(ctx);
      const startAfter = Buffer.from(req.startAfter).toString('utf8');
      if (req.needLocation) return locatedListingProto(caller, req.src, startAfter).then((dirList) => H.GetListingResponseProto.encode({ dirList }).finish());
      return ns.getListing(caller, req.src, startAfter, true).then(encodeListingResponse);
    }),
    mkdirs: protoHandler(H.MkdirsRequestProto, H.MkdirsResponseProto, async (ctx, req) => ({
      result: await ns.mkdirs(as(ctx), req.src, req.masked.perm, req.createParent, req.unmasked?.perm),
    })),
    // CreateResponseProto is GetFileInfoResponseProto's shape (the status as field 1): the same hand-written encoder.
    create: encodedAnswerHandler(H.CreateRequestProto, async (ctx, req) => {
      const status = await ns.create(as(ctx), {
        src: req.src,
        masked: req.masked.perm,
        unmasked: req.unmasked?.perm,
        clientName: req.clientName,
        clientMachine: ctx.remoteAddress,
        flags: req.createFlag,
        createParent: req.createParent,
        replication: req.replication,
        blockSize: int64ToNumber(req.blockSize),
      }, retryKey(ctx));
      return encodeFileInfoResponse(status);
    }),
    complete: protoHandler(H.CompleteRequestProto, H.CompleteResponseProto, async (ctx, req) => ({
      result: await ns.complete(as(ctx), req.src, req.clientName, req.last ? clientBlock(req.last) : undefined),
    })),
    delete: protoHandler(H.DeleteRequestProto, H.DeleteResponseProto, async (ctx, req) => ({
      result: await ns.delete(as(ctx), req.src, req.recursive, retryKey(ctx)),
    })),
    rename: protoHandler(H.RenameRequestProto, H.RenameResponseProto, async (ctx, req) => ({
      result: await ns.rename(as(ctx), req.src, req.dst, retryKey(ctx)),
    })),
    rename2: protoHandler(H.Rename2RequestProto, H.Rename2ResponseProto, async (ctx, req) => {
      await ns.rename2(as(ctx), req.src, req.dst, req.overwriteDest, retryKey(ctx), req.moveToTrash ?? false);
      return {};
    }),
    setPermission: protoHandler(H.SetPermissionRequestProto, H.SetPermissionResponseProto, async (ctx, req) => {
      await ns.setPermission(as(ctx), req.src, req.permission.perm);
      return {};
    }),
    setOwner: protoHandler(H.SetOwnerRequestProto, H.SetOwnerResponseProto, async (ctx, req) => {
      // Empty means "leave as is": the Go client sends "" for the part it does not change.
      await ns.setOwner(as(ctx), req.src, req.username || undefined, req.groupname || undefined);
      return {};
    }),
    setTimes: protoHandler(H.SetTimesRequestProto, H.SetTimesResponseProto, async (ctx, req) => {
      await ns.setTimes(as(ctx), req.src, signed(req.mtime), signed(req.atime));
      return {};
    }),
    setReplication: protoHandler(H.SetReplicationRequestProto, H.SetReplicationResponseProto, async (ctx, req) => ({
      result: await ns.setReplication(as(ctx), req.src, req.replication),
    })),
    getContentSummary: protoHandler(H.GetContentSummaryRequestProto, H.GetContentSummaryResponseProto, async (ctx, req) => {
      const { typeQuotaInfos, ...s } = await ns.getContentSummary(as(ctx), req.path);
      return { summary: { ...s, ...typeQuotaInfosProto(typeQuotaInfos) } };
    }),
    getFsStats: protoHandler(H.GetFsStatusRequestProto, H.GetFsStatsResponseProto, async (ctx) => {
      as(ctx);
      const s = await ns.getFsStats();
      return {
        capacity: s.capacity,
        used: s.used,
        remaining: s.remaining,
        underReplicated: s.underReplicated,
        corruptBlocks: s.corruptBlocks,
        missingBlocks: s.missingBlocks,
        missingReplOneBlocks: s.missingReplOneBlocks,
        blocksInFuture: s.blocksInFuture,
        pendingDeletionBlocks: s.pendingDeletionBlocks,
      };
    }),
    renewLease: protoHandler(H.RenewLeaseRequestProto, H.RenewLeaseResponseProto, async (_ctx, req) => {
      await ns.renewLease(req.clientName);
      return {};
    }),
    setXAttr: protoHandler(H.SetXAttrRequestProto, H.SetXAttrResponseProto, async (ctx, req) => {
      await ns.setXAttr(as(ctx), req.src, xattrOf(required(req.xAttr, 'xAttr')), req.flag, retryKey(ctx));
      return {};
    }),
    getXAttrs: protoHandler(H.GetXAttrsRequestProto, H.GetXAttrsResponseProto, async (ctx, req) => ({
      xAttrs: (await ns.getXAttrs(as(ctx), req.src, (req.xAttrs ?? []).map(xattrOf))).map(xattrProto),
    })),
    listXAttrs: protoHandler(H.ListXAttrsRequestProto, H.ListXAttrsResponseProto, async (ctx, req) => ({
      xAttrs: (await ns.listXAttrs(as(ctx), req.src)).map(xattrProto),
    })),
    getBlockLocations: protoHandler(H.GetBlockLocationsRequestProto, H.GetBlockLocationsResponseProto, async (ctx, req) => {
      const caller = as(ctx);
      const lbs = await ns.getBlockLocations(caller, req.src, signed(req.offset), signed(req.length));
      const pool = knownPool ?? (await poolId());
      // A file without blocks has nothing to sign: no key lookup (most opens of empty files, every open of a new one).
      const sign = lbs.blocks.length > 0 || lbs.lastBlock ? await signer(caller, pool, 'READ') : undefined;
      return { locations: locatedBlocksProto(lbs, pool, sign) };
    }),
    addBlock: protoHandler(H.AddBlockRequestProto, H.AddBlockResponseProto, async (ctx, req) => {
      const caller = as(ctx);
      const lb = await ns.addBlock(caller, {
        src: req.src,
        clientName: req.clientName,
        previous: req.previous ? clientBlock(req.previous) : undefined,
        exclude: (req.excludeNodes ?? []).map((d) => ({ uuid: d.id.datanodeUuid, xferAddress: `${d.id.ipAddr}:${d.id.xferPort}` })),
        favored: req.favoredNodes ?? [],
        writer: ctx.remoteAddress,
      });
      const pool = await poolId();
      return { block: locatedBlockProto(lb, pool, await signer(caller, pool, 'WRITE')) };
    }),
    abandonBlock: protoHandler(H.AbandonBlockRequestProto, H.AbandonBlockResponseProto, async (ctx, req) => {
      await ns.abandonBlock(as(ctx), req.src, clientBlock(req.b), req.holder);
      return {};
    }),
    updateBlockForPipeline: protoHandler(H.UpdateBlockForPipelineRequestProto, H.UpdateBlockForPipelineResponseProto, async (ctx, req) => {
      const caller = as(ctx);
      const lb = await ns.updateBlockForPipeline(clientBlock(req.block), req.clientName);
      const pool = await poolId();
      return { block: locatedBlockProto(lb, pool, await signer(caller, pool, 'WRITE')) };
    }),
    updatePipeline: protoHandler(H.UpdatePipelineRequestProto, H.UpdatePipelineResponseProto, async (ctx, req) => {
      as(ctx);
      const ids = req.storageIDs ?? [];
      await ns.updatePipeline(
        req.clientName,
        clientBlock(req.oldBlock),
        clientBlock(req.newBlock),
        (req.newNodes ?? []).map((n, i) => ({ datanodeUuid: n.datanodeUuid, storageId: ids[i] ?? '' })),
        retryKey(ctx),
      );
      return {};
    }),
    getAdditionalDatanode: protoHandler(H.GetAdditionalDatanodeRequestProto, H.GetAdditionalDatanodeResponseProto, async (ctx, req) => {
      const existing = (req.existings ?? []).map((d, i) => ({
        datanode: datanodeRowOf(d),
        storageId: req.existingStorageUuids?.[i] ?? '',
        storageType: 1,
      }));
      const caller = as(ctx);
      const lb = await ns.getAdditionalDatanode(
        caller,
        req.src,
        clientBlock(req.blk),
        existing,
        (req.excludes ?? []).map((d) => d.id.datanodeUuid),
        req.numAdditionalNodes,
        req.clientName,
      );
      const pool = await poolId();
      return { block: locatedBlockProto(lb, pool, await signer(caller, pool, 'COPY')) };
    }),
    fsync: protoHandler(H.FsyncRequestProto, H.FsyncResponseProto, async (ctx, req) => {
      await ns.fsync(as(ctx), req.src, req.client, signed(req.lastBlockLength ?? -1));
      return {};
    }),
    append: protoHandler(H.AppendRequestProto, H.AppendResponseProto, async (ctx, req) => {
      const caller = as(ctx);
      const r = await ns.append(caller, req.src, req.clientName, req.flag ?? 0, retryKey(ctx));
      const pool = await poolId();
      return { block: r.block ? locatedBlockProto(r.block, pool, await signer(caller, pool, 'WRITE')) : null, stat: toStatusProto(r.file) };
    }),
    truncate: protoHandler(H.TruncateRequestProto, H.TruncateResponseProto, async (ctx, req) => ({
      result: await ns.truncate(as(ctx), req.src, signed(req.newLength), req.clientName, retryKey(ctx)),
    })),
    recoverLease: protoHandler(H.RecoverLeaseRequestProto, H.RecoverLeaseResponseProto, async (ctx, req) => ({
      result: await ns.recoverLease(as(ctx), req.src),
    })),
    getPreferredBlockSize: protoHandler(H.GetPreferredBlockSizeRequestProto, H.GetPreferredBlockSizeResponseProto, async (ctx, req) => ({
      bsize: await ns.getPreferredBlockSize(as(ctx), req.filename),
    })),
    getDatanodeReport: protoHandler(H.GetDatanodeReportRequestProto, H.GetDatanodeReportResponseProto, async (ctx, req) => {
      // The report names every datanode uuid: admin only, as HDFS (checkSuperuserPrivilege).
      const caller = as(ctx);
      if (!caller.isSuperuser) throw new NamesystemError('AccessDenied', `Access denied for user ${caller.user}. Superuser privilege is required`);
      const type = REPORT_TYPE.get(req.type);
      return { di: type === undefined ? [] : (await ns.getDatanodeReport(type)).map(datanodeInfoProto) };
    }),
    removeXAttr: protoHandler(H.RemoveXAttrRequestProto, H.RemoveXAttrResponseProto, async (ctx, req) => {
      await ns.removeXAttr(as(ctx), req.src, xattrOf(required(req.xAttr, 'xAttr')), retryKey(ctx));
      return {};
    }),
    ...adminHandlers(ns, callers, tokens),
    ...inotifyHandlers(ns, callers),
    ...linkHandlers(ns, callers),
    ...snapshotHandlers(ns, as),
  };
}
