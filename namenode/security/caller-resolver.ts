import { accessDenied } from '../errors';
import { makeCaller, type Caller, type SuperuserPolicy } from './caller';
import type { GroupMapping } from './group-mapping';

/**
 * Who a request says it comes from, as any front door receives it: Hadoop
 * IPC's connection context (effectiveUser, realUser), WebHDFS's `user.name`
 * and `doas`, gRPC metadata. Trusted as sent (SIMPLE auth).
 */
export interface ClaimedIdentity {
  readonly user: string;
  /** The user acting for `user` (doAs), when there is one. */
  readonly realUser?: string | undefined;
}

/**
 * Turns a claimed identity into a Caller. A doAs call (realUser set) is
 * allowed only for the superuser or a configured proxy user, as
 * hadoop.proxyuser.<user>.hosts/users would allow.
 */
export class CallerResolver {
  readonly #groups: GroupMapping;
  readonly #policy: SuperuserPolicy;
  readonly #proxyUsers: ReadonlySet<string>;

  constructor(groups: GroupMapping, policy: SuperuserPolicy, proxyUsers: readonly string[] = []) {
    this.#groups = groups;
    this.#policy = policy;
    this.#proxyUsers = new Set(proxyUsers);
  }

  resolve(id: ClaimedIdentity): Caller {
    const real = id.realUser;
    if (real !== undefined && real !== '' && real !== id.user) {
      const realCaller = makeCaller(real, this.#groups.groupsOf(real), this.#policy);
      if (!realCaller.isSuperuser && !this.#proxyUsers.has(real)) {
        throw accessDenied(`User: ${real} is not allowed to impersonate ${id.user}`);
      }
    }
    return makeCaller(id.user, this.#groups.groupsOf(id.user), this.#policy);
  }
}
