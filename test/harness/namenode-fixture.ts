import { userInfo } from 'node:os';
import pino from 'pino';
import { startNamenode, type RunningNamenode } from '../../namenode/namenode-process';
import type { NamesystemConfig } from '../../namenode/namesystem-config';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface NamenodeFixture {
  readonly db: TestDatabase;
  readonly namenode: RunningNamenode;
  readonly address: string;
  readonly superuser: string;
  close(): Promise<void>;
}

/** A real namenode (IPC + HTTP) on a fresh test database, on free loopback ports. */
export async function namenodeFixture(prefix: string, config: Partial<NamesystemConfig> = {}): Promise<NamenodeFixture> {
  const db = await createTestDatabase(prefix);
  const superuser = userInfo().username;
  const namenode = await startNamenode({
    mysql: db.config,
    host: '127.0.0.1',
    rpcPort: 0,
    httpPort: 0,
    config: { superuser, ...config },
    groupOverrides: 'alice=staff;bob=bob',
    logger: pino({ level: process.env['NNFLEET_LOG_LEVEL'] ?? 'silent' }),
  });
  return {
    db,
    namenode,
    address: `127.0.0.1:${namenode.rpcPort}`,
    superuser,
    close: async () => {
      await namenode.stop();
      await db.drop();
    },
  };
}
