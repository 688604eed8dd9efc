import type { MysqlConfig } from '../../schema/mysql-config';

/**
 * How global setup tells test files (in other worker processes) where the
 * jest run's MariaDB is: environment variables, inherited by the workers.
 */
export const ENV_HOST = 'NNFLEET_TEST_MYSQL_HOST';
export const ENV_PORT = 'NNFLEET_TEST_MYSQL_PORT';
export const ENV_USER = 'NNFLEET_TEST_MYSQL_USER';
export const ENV_PASSWORD = 'NNFLEET_TEST_MYSQL_PASSWORD';
export const ENV_DIR = 'NNFLEET_TEST_MYSQL_DIR';

export function publishTestServer(cfg: MysqlConfig, dir: string): void {
  process.env[ENV_HOST] = cfg.host;
  process.env[ENV_PORT] = String(cfg.port);
  process.env[ENV_USER] = cfg.user;
  process.env[ENV_PASSWORD] = cfg.password;
  process.env[ENV_DIR] = dir;
}

/** The jest run's server, connected to `database` ('' for none). */
export function testServerConfig(database = ''): MysqlConfig {
  const port = Number(process.env[ENV_PORT]);
  if (!port) throw new Error(`${ENV_PORT} is not set: run tests through jest with the root jest.config.js`);
  return {
    host: process.env[ENV_HOST] ?? '127.0.0.1',
    port,
    user: process.env[ENV_USER] ?? 'root',
    password: process.env[ENV_PASSWORD] ?? '',
    database,
  };
}
