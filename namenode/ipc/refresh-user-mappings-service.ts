import { hadoop } from '../../protocol/generated/hadoop';
import { protoHandler, type RpcHandler } from '../../protocol/ipc/rpc-handler';
import type { CallerResolver } from '../security/caller-resolver';
import type { GroupMapping } from '../security/group-mapping';
import { requireSuperuser } from '../security/superuser';

const C = hadoop.common;

/** Why a RefreshUserMappingsProtocol method is left out (for withUnsupportedMethods). */
export const REFRESH_USER_MAPPINGS_UNSUPPORTED: Readonly<Record<string, string>> = {
  refreshSuperUserGroupsConfiguration: 'proxy-user rules (hadoop.proxyuser.*) are read once when the namenode starts: restart it to change them',
};

/**
 * RefreshUserMappingsProtocol (org.apache.hadoop.security.RefreshUserMappingsProtocol):
 * `hdfs dfsadmin -refreshUserToGroupsMappings`, and NNThroughputBenchmark
 * with -UGCacheRefreshCount. HDFS guards it with a service-level ACL; nnfleet
 * has none, so the superuser rule stands in. The refresh is this namenode's
 * own group cache: each namenode of the fleet keeps one. The served methods
 * only, completed with withUnsupportedMethods.
 */
export function refreshUserMappingsHandlers(groups: GroupMapping, callers: CallerResolver): Record<string, RpcHandler> {
  return {
    refreshUserToGroupsMappings: protoHandler(C.RefreshUserToGroupsMappingsRequestProto, C.RefreshUserToGroupsMappingsResponseProto, async (ctx) => {
      requireSuperuser(callers.resolve(ctx));
      groups.refresh();
      return {};
    }),
  };
}
