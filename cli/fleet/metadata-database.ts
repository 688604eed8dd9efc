import { join } from 'node:path';
import type { Logger } from 'pino';
import { createMysqlConnection, parseMysqlUrl, type MysqlConfig } from '../../schema/mysql-config';
import { startPrivateMariaDb } from '../local/mariadb-server';

/** The database `nnfleet up` and `nnfleet format --data-dir` keep in the private MariaDB. */
export const LOCAL_DATABASE = 'nnfleet';

export interface MetadataDatabase {
  readonly config: MysqlConfig;
  /** For status lines; never holds the password. */
  readonly description: string;
  /** The private server's process, when we started one. */
  readonly pid?: number;
  /** Stops the private server; nothing for an external database. */
  stop(): Promise<void>;
}

export interface MetadataDatabaseOptions {
  /** Holds the private MariaDB under DIR/mysql; used when mysqlUrl is absent. */
  readonly dataDir: string;
  /** An external database (Galera, MySQL Cluster SQL nodes) instead of the private one. */
  readonly mysqlUrl?: string;
  readonly logger: Logger;
}

/**
 * The metadata database a command works on: an external one as given, or
 * the private MariaDB under the data dir, started for the caller. Either
 * way the database is created if missing.
 */
export async function openMetadataDatabase(opts: MetadataDatabaseOptions): Promise<MetadataDatabase> {
  if (opts.mysqlUrl !== undefined) {
    const config = parseMysqlUrl(opts.mysqlUrl);
    const where = config.socketPath ?? `${config.host}:${config.port}`;
    // A fresh server (a Galera cluster just started) has no database yet; a user who may not create one has it already.
    await createDatabaseIfMissing({ ...config, database: '' }, config.database).catch(() => undefined);
    return { config, description: `${config.user}@${where}/${config.database}`, stop: async () => {} };
  }
  const dir = join(opts.dataDir, 'mysql');
  const server = await startPrivateMariaDb({ dir, logger: opts.logger });
  try {
    const config = server.config(LOCAL_DATABASE);
    await createDatabaseIfMissing(server.config(''), LOCAL_DATABASE);
    return {
      config,
      description: `${server.host}:${server.port}/${LOCAL_DATABASE} (private MariaDB in ${dir})`,
      pid: server.pid,
      stop: () => server.stop(),
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}

export async function createDatabaseIfMissing(server: MysqlConfig, database: string): Promise<void> {
  const conn = await createMysqlConnection(server);
  try {
    await conn.query(`CREATE DATABASE IF NOT EXISTS \`${database}\``);
  } finally {
    await conn.end();
  }
}
