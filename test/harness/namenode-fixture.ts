import { userInfo } from 'node:os';
import pino from 'pino';
import { startNamenode, type NamenodeOptions, type RunningNamenode } from '../../namenode/namenode-process';
import type { NamesystemConfig } from '../../namenode/namesystem-config';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface NamenodeFixture {
  readonly db: TestDatabase;
  readonly namenode: RunningNamenode;
  readonly address: string;
  readonly superuser: string;
  /** Another namenode of the same fleet (same database); stopped by close(). */
  another(config?: Partial<NamesystemConfig>, more?: NamenodeExtras): Promise<RunningNamenode>;
  close(): Promise<void>;
}

/** Options beyond the namesystem's config: an orphan sweeper, a gRPC port (none unless asked). */
export type NamenodeExtras = Pick<NamenodeOptions, 'orphanSweeper' | 'grpcPort' | 'grpcLimits' | 'grpcTls'>;

/** A real namenode (IPC + HTTP) on a fresh test database, on free loopback ports. */
export async function namenodeFixture(
  prefix: string,
  config: Partial<NamesystemConfig> = {},
  /** For the first namenode only, e.g. its orphan sweeper. */
  firstOptions: NamenodeExtras = {},
): Promise<NamenodeFixture> {
  const db = await createTestDatabase(prefix);
  const superuser = userInfo().username;
  const start = (extra: Partial<NamesystemConfig> = {}, more: NamenodeExtras = {}) =>
    startNamenode({
      ...more,
      mysql: db.config,
      host: '127.0.0.1',
      rpcPort: 0,
      httpPort: 0,
      config: { superuser, ...config, ...extra },
      groupOverrides: 'alice=staff;bob=bob',
      logger: pino({ level: process.env['NNFLEET_LOG_LEVEL'] ?? 'silent' }),
    });
  let namenode: RunningNamenode;
  try {
    namenode = await start({}, firstOptions);
  } catch (err) {
    await db.drop();
    throw err;
  }
  const others: RunningNamenode[] = [];
  return {
    db,
    namenode,
    address: `127.0.0.1:${namenode.rpcPort}`,
    superuser,
    another: async (extra, more) => {
      const nn = await start(extra, more);
      others.push(nn);
      return nn;
    },
    close: async () => {
      await Promise.all([namenode, ...others].map((n) => n.stop().catch(() => undefined)));
      await db.drop();
    },
  };
}
