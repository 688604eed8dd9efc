import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { formatNamespace } from '../../schema/format';
import { createMysqlConnection, type MysqlConfig } from '../../schema/mysql-config';
import { testServerConfig } from './test-server-env';

export interface TestDatabase {
  readonly config: MysqlConfig;
  readonly name: string;
  /** The fleet's membership secret (what `nnfleet up` writes to the datanode key file); empty when not formatted. */
  readonly membershipSecret: Buffer;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Default true: format an nnfleet namespace in it; false leaves it empty. */
  readonly format?: boolean;
}

/** A fresh, uniquely named database on the jest run's server, so test files never share state. */
export async function createTestDatabase(prefix = 'nnfleet', opts: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const safePrefix = prefix.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40);
  const name = `${safePrefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer((conn) => conn.query(`CREATE DATABASE \`${name}\``));
  const config = testServerConfig(name);
  let membershipSecret: Buffer = Buffer.alloc(0);
  if (opts.format ?? true) {
    const conn = await createMysqlConnection(config);
    try {
      ({ membershipSecret } = await formatNamespace(conn, { engine: 'innodb', superuser: userInfo().username, supergroup: 'supergroup' }));
    } finally {
      await conn.end();
    }
  }
  return { config, name, membershipSecret, drop: () => onServer((conn) => conn.query(`DROP DATABASE IF EXISTS \`${name}\``)) };
}

async function onServer(fn: (conn: Awaited<ReturnType<typeof createMysqlConnection>>) => Promise<unknown>): Promise<void> {
  const conn = await createMysqlConnection(testServerConfig());
  try {
    await fn(conn);
  } finally {
    await conn.end();
  }
}
