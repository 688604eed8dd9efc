import type { MysqlConfig } from '../../schema/mysql-config';

/** The inverse of parseMysqlUrl: how `up` hands its database to the namenodes it spawns. */
export function formatMysqlUrl(cfg: MysqlConfig): string {
  const url = new URL('mysql://placeholder');
  url.hostname = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;
  url.port = String(cfg.port);
  url.username = encodeURIComponent(cfg.user);
  url.password = encodeURIComponent(cfg.password);
  url.pathname = `/${encodeURIComponent(cfg.database)}`;
  if (cfg.socketPath) url.searchParams.set('socket', cfg.socketPath);
  return url.href;
}

/**
 * `--mysql` may list several URLs, comma-separated: the SQL nodes of one
 * database (Galera nodes, MySQL Cluster SQL nodes). Splits only before
 * `mysql://`, so a comma inside a password survives.
 */
export function splitMysqlUrls(list: string): string[] {
  return list
    .split(/,(?=\s*mysql:\/\/)/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** The URL without its password: for state files and status lines. */
export function withoutPassword(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.href;
}
