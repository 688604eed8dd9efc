import { hadoop } from '../../protocol/generated/hadoop';
import { RequestDecodeError } from '../../protocol/ipc/ipc-errors';
import { protoHandler, type RpcCallContext, type RpcHandler } from '../../protocol/ipc/rpc-handler';
import type { BlockStoragePolicy } from '../domain/storage-policies';
import type { Namesystem } from '../namesystem';
import type { Caller } from '../security/caller';
import type { CallerResolver } from '../security/caller-resolver';
import type { FsAction } from '../security/permission-checker';
import { retryKey } from './call-retry-key';

const H = hadoop.hdfs;

const typesProto = (types: readonly number[]) => ({ storageTypes: types.map((t) => t as hadoop.hdfs.StorageTypeProto) });
/** PBHelperClient leaves an empty fallback list unset; the client reads unset as empty. */
const fallbackProto = (types: readonly number[]) => (types.length === 0 ? null : typesProto(types));

/** PBHelperClient.convert(BlockStoragePolicy). */
const policyProto = (p: BlockStoragePolicy): hadoop.hdfs.BlockStoragePolicyProto.$Properties => ({
  policyId: p.id,
  name: p.name,
  creationPolicy: typesProto(p.storageTypes),
  creationFallbackPolicy: fallbackProto(p.creationFallbacks),
  replicationFallbackPolicy: fallbackProto(p.replicationFallbacks),
});

/**
 * ClientProtocol's symlink, concat, path check and storage policy calls:
 * decode, call the Namesystem, encode (errors are mapped by the server).
 */
export function linkHandlers(ns: Namesystem, callers: CallerResolver): Record<string, RpcHandler> {
  const as = (ctx: RpcCallContext): Caller => callers.resolve(ctx);
  return {
    createSymlink: protoHandler(H.CreateSymlinkRequestProto, H.CreateSymlinkResponseProto, async (ctx, req) => {
      await ns.createSymlink(as(ctx), req.target, req.link, req.dirPerm.perm, req.createParent, retryKey(ctx));
      return {};
    }),
    getLinkTarget: protoHandler(H.GetLinkTargetRequestProto, H.GetLinkTargetResponseProto, async (ctx, req) => ({
      targetPath: await ns.getLinkTarget(as(ctx), req.path),
    })),
    concat: protoHandler(H.ConcatRequestProto, H.ConcatResponseProto, async (ctx, req) => {
      await ns.concat(as(ctx), req.trg, req.srcs ?? [], retryKey(ctx));
      return {};
    }),
    isFileClosed: protoHandler(H.IsFileClosedRequestProto, H.IsFileClosedResponseProto, async (ctx, req) => ({
      result: await ns.isFileClosed(as(ctx), req.src),
    })),
    checkAccess: protoHandler(H.CheckAccessRequestProto, H.CheckAccessResponseProto, async (ctx, req) => {
      // FsActionProto and FsAction share their values (the rwx bits); Java's decoder drops any other value
      // of this required enum, so the request does not parse.
      const mode = req.mode as number;
      if (!Number.isInteger(mode) || mode < 0 || mode > 7) throw new RequestDecodeError(`IPC server unable to read call parameters for checkAccess: mode ${mode} is no FsActionProto`);
      await ns.checkAccess(as(ctx), req.path, mode as FsAction);
      return {};
    }),
    setStoragePolicy: protoHandler(H.SetStoragePolicyRequestProto, H.SetStoragePolicyResponseProto, async (ctx, req) => {
      await ns.setStoragePolicy(as(ctx), req.src, req.policyName);
      return {};
    }),
    unsetStoragePolicy: protoHandler(H.UnsetStoragePolicyRequestProto, H.UnsetStoragePolicyResponseProto, async (ctx, req) => {
      await ns.unsetStoragePolicy(as(ctx), req.src);
      return {};
    }),
    getStoragePolicy: protoHandler(H.GetStoragePolicyRequestProto, H.GetStoragePolicyResponseProto, async (ctx, req) => ({
      storagePolicy: policyProto(await ns.getStoragePolicy(as(ctx), req.path)),
    })),
    getStoragePolicies: protoHandler(H.GetStoragePoliciesRequestProto, H.GetStoragePoliciesResponseProto, async (ctx) => {
      as(ctx);
      return { policies: ns.getStoragePolicies().map(policyProto) };
    }),
  };
}
