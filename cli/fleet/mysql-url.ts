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
