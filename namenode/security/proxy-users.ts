import { isIP } from 'node:net';
import { accessDenied } from '../errors';

/**
 * hadoop.proxyuser.<realUser>.hosts / .users / .groups: comma-separated
 * lists or `*`. A user with no rule may impersonate nobody — the superuser
 * included, as in Hadoop.
 */
export interface ProxyUserRule {
  readonly hosts?: string;
  readonly users?: string;
  readonly groups?: string;
}

export type ProxyUserRules = Readonly<Record<string, ProxyUserRule>>;

const PROXYUSER_KEY = /^hadoop\.proxyuser\.(.+)\.(hosts|users|groups)$/;

/** `hadoop.proxyuser.alice.hosts=127.0.0.1` as a -D setting: the rules with that one added. */
export function withProxyUserSetting(rules: ProxyUserRules, key: string, value: string): ProxyUserRules | undefined {
  const m = PROXYUSER_KEY.exec(key);
  if (!m) return undefined;
  const user = m[1] as string;
  const field = m[2] as keyof ProxyUserRule;
  return { ...rules, [user]: { ...rules[user], [field]: value } };
}

const listOf = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** An address against one `hosts` entry: `*`, an exact IP, or an IPv4 CIDR block (a.b.c.d/n). */
function hostMatches(entry: string, address: string): boolean {
  if (entry === '*') return true;
  const bare = address.startsWith('::ffff:') ? address.slice(7) : address;
  const slash = entry.indexOf('/');
  if (slash < 0) return entry === bare || (entry === 'localhost' && (bare === '127.0.0.1' || bare === '::1'));
  const net = entry.slice(0, slash);
  const bits = Number(entry.slice(slash + 1));
  if (isIP(net) !== 4 || isIP(bare) !== 4 || !Number.isInteger(bits) || bits < 0 || bits > 32) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((ipv4ToInt(net) & mask) >>> 0) === ((ipv4ToInt(bare) & mask) >>> 0);
}

/**
 * Hadoop's DefaultImpersonationProvider: `realUser` may act for `user` when
 * its rule lists the user (or one of the user's groups, or `*`), and the
 * call comes from one of the rule's hosts. Same messages as Hadoop's
 * AuthorizationException, answered as AccessControlException.
 */
export function authorizeImpersonation(
  rules: ProxyUserRules,
  realUser: string,
  user: string,
  userGroups: readonly string[],
  remoteAddress: string | undefined,
): void {
  const rule = Object.prototype.hasOwnProperty.call(rules, realUser) ? rules[realUser] : undefined;
  const users = listOf(rule?.users);
  const groups = listOf(rule?.groups);
  const userAllowed = users.includes('*') || users.includes(user) || groups.includes('*') || userGroups.some((g) => groups.includes(g));
  if (!userAllowed) throw accessDenied(`User: ${realUser} is not allowed to impersonate ${user}`);
  const hosts = listOf(rule?.hosts);
  if (remoteAddress === undefined || !hosts.some((h) => hostMatches(h, remoteAddress))) {
    throw accessDenied(`Unauthorized connection for super-user: ${realUser} from IP ${remoteAddress ?? 'unknown'}`);
  }
}
