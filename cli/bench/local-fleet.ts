import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createDatabaseIfMissing } from '../fleet/metadata-database';
import { spawnNamenode, type NamenodeChild } from '../fleet/namenode-child';
import { startPrivateMariaDb, type PrivateMariaDb } from '../local/mariadb-server';
import { formatNamespace } from '../../schema/format';
import { writeDatanodeKeyFile } from '../fleet/datanode-key-file';
import { createMysqlConnection, type MysqlConfig } from '../../schema/mysql-config';
import { formatMysqlUrl } from '../fleet/mysql-url';

export interface LocalFleet {
  readonly mariadb: PrivateMariaDb;
  readonly mysql: MysqlConfig;
  /** What a namenode child is given to reach the same database. */
  readonly mysqlUrl: string;
  readonly namenode: NamenodeChild;
  /** HOST:PORT of the namenode's Hadoop IPC server. */
  readonly address: string;
  readonly superuser: string;
  /** The datanode key file its datanodes are given. */
  readonly datanodeKeyFile: string;
  stop(): Promise<void>;
}

const DATABASE = 'nnfleet';

/**
 * The embedded default, as `nnfleet up` runs it: a private MariaDB (durable
 * settings, as production), a formatted namespace, and one namenode as a
 * child process, so its CPU time can be read on its own from /proc.
 */
/** `extraArgs`: more namenode arguments, e.g. `-D redisUrl=…` (the profiler's --redis). */
export async function startLocalFleet(dir: string, logLevel = 'warn', extraArgs: readonly string[] = []): Promise<LocalFleet> {
  const mariadb = await startPrivateMariaDb({ dir: join(dir, 'mysql'), port: 0 });
  const superuser = userInfo().username;
  let namenode: NamenodeChild | undefined;
  // Over the server's Unix socket, as `nnfleet up` hands it to its namenodes and as the bench's own
  // ceiling probes reach it (loopback TCP before; the difference was inside the noise, bench/README.md stop 57).
  const mysqlUrl = formatMysqlUrl(mariadb.config(DATABASE));
  const datanodeKeyFile = join(dir, 'datanode.key');
  try {
    await createDatabaseIfMissing(mariadb.config(''), DATABASE);
    const conn = await createMysqlConnection(mariadb.config(DATABASE));
    try {
      const { membershipSecret } = await formatNamespace(conn, { engine: 'innodb', superuser, supergroup: 'supergroup' });
      writeDatanodeKeyFile(datanodeKeyFile, membershipSecret);
    } finally {
      await conn.end();
    }
    namenode = await spawnNamenode({
      name: 'bench-namenode',
      host: '127.0.0.1',
      rpcPort: 0,
      httpPort: 0,
      mysqlUrl,
      logDir: join(dir, 'logs'),
      logLevel,
      ...(extraArgs.length > 0 ? { extraArgs: [...extraArgs] } : {}),
    });
  } catch (err) {
    await mariadb.stop();
    throw err;
  }
  const started = namenode;
  return {
    mariadb,
    mysql: mariadb.config(DATABASE),
    mysqlUrl,
    namenode: started,
    address: `127.0.0.1:${started.rpcPort}`,
    superuser,
    datanodeKeyFile,
    stop: async () => {
      await started.stop();
      await mariadb.stop();
    },
  };
}
