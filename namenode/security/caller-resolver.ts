import { makeCaller, type Caller, type SuperuserPolicy } from './caller';
import type { GroupMapping } from './group-mapping';
import { authorizeImpersonation, type ProxyUserRules } from './proxy-users';

/**
 * Who a request says it comes from, as any front door receives it: Hadoop
 * IPC's connection context (effectiveUser, realUser), WebHDFS's `user.name`
 * and `doas`, gRPC metadata. Trusted as sent (SIMPLE auth).
 */
export interface ClaimedIdentity {
  readonly user: string;
  /** The user acting for `user` (doAs), when there is one. */
  readonly realUser?: string | undefined;
  /** Where the call comes from, for the proxy user's `hosts` rule. */
  readonly remoteAddress?: string | undefined;
}

/**
 * Turns a claimed identity into a Caller. A doAs call (realUser set) is
 * allowed only as the hadoop.proxyuser.<realUser>.hosts/users/groups rules
 * say; with no rule, nobody (the superuser included) may impersonate.
 */
export class CallerResolver {
  readonly #groups: GroupMapping;
  readonly #policy: SuperuserPolicy;
  readonly #proxyUsers: ProxyUserRules;

  constructor(groups: GroupMapping, policy: SuperuserPolicy, proxyUsers: ProxyUserRules = {}) {
    this.#groups = groups;
    this.#policy = policy;
    this.#proxyUsers = proxyUsers;
  }

  resolve(id: ClaimedIdentity): Caller {
    const real = id.realUser;
    const groups = this.#groups.groupsOf(id.user);
    if (real !== undefined && real !== '' && real !== id.user) authorizeImpersonation(this.#proxyUsers, real, id.user, groups, id.remoteAddress);
    return makeCaller(id.user, groups, this.#policy);
  }
}
