import { userInfo } from 'node:os';
import pino from 'pino';
import { createMysqlPool } from '../../schema/mysql-config';
import type { SqlPool } from '../../namenode/dal/sql-session';
import { Namesystem } from '../../namenode/namesystem';
import { DEFAULT_NAMESYSTEM_CONFIG, type NamesystemConfig } from '../../namenode/namesystem-config';
import { makeCaller, type Caller } from '../../namenode/security/caller';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface NamesystemFixture {
  readonly db: TestDatabase;
  readonly pool: SqlPool;
  readonly ns: Namesystem;
  readonly config: NamesystemConfig;
  /** The user running the namenode: the superuser. */
  readonly root: Caller;
  readonly alice: Caller;
  readonly bob: Caller;
  /** A second namesystem on the same database: another namenode of the fleet. */
  other(): Namesystem;
  close(): Promise<void>;
}

export async function namesystemFixture(prefix: string, overrides: Partial<NamesystemConfig> = {}): Promise<NamesystemFixture> {
  const db = await createTestDatabase(prefix);
  const pool = createMysqlPool(db.config, { connectionLimit: 8 }) as unknown as SqlPool;
  const config = { ...DEFAULT_NAMESYSTEM_CONFIG, superuser: userInfo().username, ...overrides };
  const logger = pino({ level: process.env['NNFLEET_LOG_LEVEL'] ?? 'silent' });
  const ns = new Namesystem({ pool, config, logger });
  const others: Namesystem[] = [];
  return {
    db,
    pool,
    ns,
    config,
    root: makeCaller(config.superuser, [], config),
    alice: makeCaller('alice', ['staff'], config),
    bob: makeCaller('bob', ['bob'], config),
    other: () => {
      const o = new Namesystem({ pool, config, logger });
      others.push(o);
      return o;
    },
    close: async () => {
      await pool.end();
      await db.drop();
    },
  };
}
