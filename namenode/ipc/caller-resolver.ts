import type { RpcCallContext } from '../../protocol/ipc/rpc-handler';
import { accessDenied } from '../errors';
import { makeCaller, type Caller, type SuperuserPolicy } from '../security/caller';
import type { GroupMapping } from '../security/group-mapping';

/**
 * Turns the connection's user into a Caller. A doAs call (realUser set) is
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

  resolve(ctx: Pick<RpcCallContext, 'user' | 'realUser'>): Caller {
    const real = ctx.realUser;
    if (real !== undefined && real !== '' && real !== ctx.user) {
      const realCaller = makeCaller(real, this.#groups.groupsOf(real), this.#policy);
      if (!realCaller.isSuperuser && !this.#proxyUsers.has(real)) {
        throw accessDenied(`User: ${real} is not allowed to impersonate ${ctx.user}`);
      }
    }
    return makeCaller(ctx.user, this.#groups.groupsOf(ctx.user), this.#policy);
  }
}
