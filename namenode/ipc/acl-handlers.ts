import { hadoop } from '../../protocol/generated/hadoop';
import { protoHandler, type RpcCallContext, type RpcHandler } from '../../protocol/ipc/rpc-handler';
import type { AclEntry, AclScope, AclType } from '../domain/acl';
import type { Namesystem } from '../namesystem';
import type { Caller } from '../security/caller';

const H = hadoop.hdfs;
type EntryProto = hadoop.hdfs.AclEntryProto.$Properties;

/** The decoder refuses enum values outside AclEntryProto's (RpcServerException), so these casts hold. */
const aclEntryOf = (e: EntryProto): AclEntry => ({
  scope: e.scope as number as AclScope,
  type: e.type as number as AclType,
  name: e.name ?? undefined,
  permission: e.permissions as number,
});

export const aclEntryProto = (e: AclEntry): EntryProto => ({
  scope: e.scope as number as hadoop.hdfs.AclEntryProto.AclEntryScopeProto,
  type: e.type as number as hadoop.hdfs.AclEntryProto.AclEntryTypeProto,
  permissions: e.permission as hadoop.hdfs.AclEntryProto.FsActionProto,
  name: e.name ?? null,
});

const specOf = (spec: readonly EntryProto[] | null | undefined): AclEntry[] => (spec ?? []).map(aclEntryOf);

/** The six ACL calls of ClientProtocol (acl.proto), spread into the ClientProtocol handler map. */
export function aclHandlers(ns: Namesystem, as: (ctx: RpcCallContext) => Caller): Record<string, RpcHandler> {
  return {
    modifyAclEntries: protoHandler(H.ModifyAclEntriesRequestProto, H.ModifyAclEntriesResponseProto, async (ctx, req) => {
      await ns.modifyAclEntries(as(ctx), req.src, specOf(req.aclSpec));
      return {};
    }),
    removeAclEntries: protoHandler(H.RemoveAclEntriesRequestProto, H.RemoveAclEntriesResponseProto, async (ctx, req) => {
      await ns.removeAclEntries(as(ctx), req.src, specOf(req.aclSpec));
      return {};
    }),
    removeDefaultAcl: protoHandler(H.RemoveDefaultAclRequestProto, H.RemoveDefaultAclResponseProto, async (ctx, req) => {
      await ns.removeDefaultAcl(as(ctx), req.src);
      return {};
    }),
    removeAcl: protoHandler(H.RemoveAclRequestProto, H.RemoveAclResponseProto, async (ctx, req) => {
      await ns.removeAcl(as(ctx), req.src);
      return {};
    }),
    setAcl: protoHandler(H.SetAclRequestProto, H.SetAclResponseProto, async (ctx, req) => {
      await ns.setAcl(as(ctx), req.src, specOf(req.aclSpec));
      return {};
    }),
    getAclStatus: protoHandler(H.GetAclStatusRequestProto, H.GetAclStatusResponseProto, async (ctx, req) => {
      const s = await ns.getAclStatus(as(ctx), req.src);
      return {
        result: { owner: s.owner, group: s.group, sticky: s.sticky, entries: s.entries.map(aclEntryProto), permission: { perm: s.permission } },
      };
    }),
  };
}
