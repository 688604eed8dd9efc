import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateMariaDb, type PrivateMariaDb } from '../../cli/local/mariadb-server';
import { createMysqlConnection } from '../../schema/mysql-config';
import { ENV_DIR, testServerConfig } from '../harness/test-server-env';

describe('startPrivateMariaDb', () => {
  let dir: string;
  let server: PrivateMariaDb | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nnfleet-mdb-'));
  });
  afterEach(async () => {
    await server?.stop();
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const ping = async (s: PrivateMariaDb, sql: string): Promise<unknown> => {
    const conn = await createMysqlConnection({ ...s.config(''), socketPath: undefined });
    try {
      return (await conn.query(sql))[0];
    } finally {
      await conn.end();
    }
  };

  it('installs, serves on TCP, stops, and reuses its datadir', async () => {
    server = await startPrivateMariaDb({ dir, bufferPoolMb: 64, flushLogAtTrxCommit: 2 });
    expect(server.port).toBeGreaterThan(0);
    await ping(server, 'CREATE DATABASE kept');
    expect(await ping(server, 'SELECT @@tx_isolation AS iso, @@collation_server AS coll')).toEqual([
      { iso: 'READ-COMMITTED', coll: 'utf8mb4_bin' },
    ]);
    const firstPid = server.pid;
    await server.stop();
    expect(() => process.kill(firstPid, 0)).toThrow();

    server = await startPrivateMariaDb({ dir, bufferPoolMb: 64 });
    expect(await ping(server, "SHOW DATABASES LIKE 'kept'")).toHaveLength(1);
  });

  it('refuses a directory another server runs on', async () => {
    const runDir = process.env[ENV_DIR];
    expect(runDir).toBeDefined();
    await expect(startPrivateMariaDb({ dir: runDir! })).rejects.toThrow(/already runs on/);
  });

  it('reports the log tail when the server cannot start', async () => {
    const taken = testServerConfig().port;
    await expect(startPrivateMariaDb({ dir, port: taken, bufferPoolMb: 64 })).rejects.toThrow(
      new RegExp(`port ${taken} is already in use; log .*mariadbd\\.log:\\n[^]*Bind on TCP/IP port`),
    );
  });
});
