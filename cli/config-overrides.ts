import { DEFAULT_NAMESYSTEM_CONFIG, type NamesystemConfig } from '../namenode/namesystem-config';
import { withProxyUserSetting } from '../namenode/security/proxy-users';

/**
 * `-D key=value` settings for a namenode, as Hadoop tools take them: the key
 * is a NamesystemConfig field (e.g. `leaseHardLimitMs=2000`,
 * `heartbeatExpiryMs=5000`); the value is parsed to the field's type.
 * Hadoop's own `hadoop.proxyuser.<user>.hosts|users|groups` keys set the
 * impersonation rules.
 */
export function parseDefine(value: string, previous: Partial<NamesystemConfig> = {}): Partial<NamesystemConfig> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new Error(`-D wants key=value, got "${value}"`);
  const key = value.slice(0, eq) as keyof NamesystemConfig;
  const raw = value.slice(eq + 1);
  const proxyUsers = withProxyUserSetting(previous.proxyUsers ?? {}, key, raw);
  if (proxyUsers) return { ...previous, proxyUsers };
  if (!(key in DEFAULT_NAMESYSTEM_CONFIG) || typeof DEFAULT_NAMESYSTEM_CONFIG[key] === 'object') {
    throw new Error(`unknown setting "${key}"; known: ${Object.keys(DEFAULT_NAMESYSTEM_CONFIG).join(', ')}`);
  }
  const kind = typeof DEFAULT_NAMESYSTEM_CONFIG[key];
  if (kind === 'number') {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${key} wants a non-negative number, got "${raw}"`);
    return { ...previous, [key]: n };
  }
  if (kind === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw new Error(`${key} wants true or false, got "${raw}"`);
    return { ...previous, [key]: raw === 'true' };
  }
  return { ...previous, [key]: raw };
}
