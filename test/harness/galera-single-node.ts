import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MysqlConfig } from '../../schema/mysql-config';
import { until } from './eventually';
import { execProcess, startProcess } from './process-fixture';

const run = (command: string, args: readonly string[]) => execProcess(command, args, { timeoutMs: 120_000 });
const RUN_AS = 'mysql';

export interface GaleraNode {
  /** root@127.0.0.1, empty password, no database selected. */
  readonly config: MysqlConfig;
  /** SQL as root over the node's socket (the mariadb client), for the test's admin statements. */
  sql(statement: string): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/**
 * A one-node MariaDB Galera cluster (bootstrapped with gcomm://), for tests
 * that need what only a wsrep node does — e.g. answer 1047 "WSREP has not
 * yet prepared node for application use". The server is this process's
 * child, recorded at spawn and stopped (TERM, then KILL) by stop().
 * Runs as user `mysql`, like scripts/galera-cluster.sh.
 */
export async function startGaleraNode(): Promise<GaleraNode> {
  const dir = mkdtempSync(join(tmpdir(), 'nnfleet-wsrep-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'data'));
  await run('chown', ['-R', `${RUN_AS}:`, dir]);
  await run('mariadb-install-db', ['--no-defaults', `--user=${RUN_AS}`, `--datadir=${join(dir, 'data')}`]);
  const [port, gcomm] = [await freePort(), await freePort()];
  const socket = join(dir, 'mysql.sock');
  const server = startProcess(
    '/usr/sbin/mariadbd',
    [
      '--no-defaults',
      `--user=${RUN_AS}`,
      `--datadir=${join(dir, 'data')}`,
      `--socket=${socket}`,
      `--pid-file=${join(dir, 'mariadbd.pid')}`,
      `--log-error=${join(dir, 'error.log')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      '--innodb-buffer-pool-size=32M',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_bin',
      '--binlog-format=ROW',
      '--innodb-autoinc-lock-mode=2',
      '--wsrep-on=ON',
      '--wsrep-provider=/usr/lib/galera/libgalera_smm.so',
      '--wsrep-cluster-address=gcomm://',
      `--wsrep-node-address=127.0.0.1:${gcomm}`,
      `--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:${gcomm};gcache.size=16M`,
    ],
    { stdio: 'ignore', graceMs: 20_000 },
  );
  const sql = async (statement: string) => (await run('mariadb', ['--no-defaults', '-uroot', `--socket=${socket}`, '-N', '-B', '-e', statement])).stdout;
  const stop = async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await until('the Galera node to be ready', async () => (await sql("SHOW STATUS LIKE 'wsrep_ready'").catch(() => '')).includes('ON'), 60_000, 250);
    await sql("CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION");
  } catch (e) {
    await stop();
    throw e;
  }
  return { config: { host: '127.0.0.1', port, user: 'root', password: '', database: '' }, sql, stop };
}
