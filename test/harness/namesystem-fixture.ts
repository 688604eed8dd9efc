import { userInfo } from 'node:os';
import pino from 'pino';
import { createMysqlConnection, createMysqlPool } from '../../schema/mysql-config';
import { SideChannel, type OwnConnection } from '../../namenode/dal/sql/side-channel';
import { compoundStatementsSupported, SqlDb, sqlSessionOf } from '../../namenode/dal/sql/sql-db';
import type { SqlPool, SqlSession } from '../../namenode/dal/sql/sql-session';
import { Namesystem } from '../../namenode/namesystem';
import { DEFAULT_NAMESYSTEM_CONFIG, type NamesystemConfig } from '../../namenode/namesystem-config';
import { makeCaller, type Caller } from '../../namenode/security/caller';
import type { MetadataCache } from '../../namenode/tx/metadata-cache';
import type { RowCache } from '../../namenode/tx/row-cache';
import type { CallCount } from '../../namenode/tx/call-count';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface NamesystemFixture {
  readonly db: TestDatabase;
  /** For tests that check rows with SQL of their own. */
  readonly pool: SqlPool;
  /** The namesystems' database. */
  readonly sqlDb: SqlDb;
  readonly ns: Namesystem;
  readonly config: NamesystemConfig;
  /** The user running the namenode: the superuser. */
  readonly root: Caller;
  readonly alice: Caller;
  readonly bob: Caller;
  /** A second namesystem on the same database: another namenode of the fleet (with its coherent cache and its hint cache, if given). */
  other(rows?: RowCache, cache?: MetadataCache, callsInProgress?: CallCount): Namesystem;
  close(): Promise<void>;
}

/** Every statement the namesystems send (pool and counters' side channel), as sent. */
export type StatementListener = (sql: string) => void;

const COMPOUND = /^BEGIN NOT ATOMIC\n([\s\S]*);\nEND$/;

/** `query` that also tells `listen` each `;`-joined statement it sends (those of a compound statement one by one, sql-db.ts). */
const listenedQuery =
  (session: SqlSession, listen: StatementListener): SqlSession['query'] =>
  (sql, params) => {
    for (const s of (COMPOUND.exec(sql)?.[1] ?? sql).split(';\n')) listen(s);
    return session.query(sql, params);
  };

function listenedPool(pool: SqlPool, listen: StatementListener | undefined): SqlPool {
  if (!listen) return pool;
  return {
    query: listenedQuery(pool, listen),
    // A prepared statement (sql-db.ts executePrepared) as it is sent: its text with placeholders.
    execute: (sql, params) => {
      listen(sql);
      return (pool.execute as NonNullable<SqlPool['execute']>)(sql, params);
    },
    getConnection: async () => {
      const conn = await pool.getConnection();
      return { query: listenedQuery(conn, listen), release: () => conn.release(), destroy: () => conn.destroy() };
    },
    end: () => pool.end(),
  };
}

export async function namesystemFixture(prefix: string, overrides: Partial<NamesystemConfig> = {}, listen?: StatementListener): Promise<NamesystemFixture> {
  const db = await createTestDatabase(prefix);
  const pool = createMysqlPool(db.config, { connectionLimit: 8 }) as unknown as SqlPool;
  const config = { ...DEFAULT_NAMESYSTEM_CONFIG, superuser: userInfo().username, ...overrides };
  const logger = pino({ level: process.env['NNFLEET_LOG_LEVEL'] ?? 'silent' });
  const sqlDb = new SqlDb(listenedPool(pool, listen));
  sqlDb.compoundWrites = config.compoundWrites && (await compoundStatementsSupported(pool));
  const counterChannels: SideChannel[] = [];
  const make = (rows?: RowCache, cache?: MetadataCache, callsInProgress?: CallCount) => {
    const counters = new SideChannel(async () => {
      const conn = (await createMysqlConnection(db.config)) as unknown as OwnConnection;
      return listen ? { query: listenedQuery(conn, listen), end: () => conn.end() } : conn;
    });
    counterChannels.push(counters);
    const ns = new Namesystem({ db: sqlDb, counters: sqlSessionOf(counters), config, logger, rows, cache, callsInProgress });
    // In-process namenodes without an election: each its own id, all live, so subtree operations run.
    ns.attachMembership({ selfId: counterChannels.length, isLive: () => true });
    return ns;
  };
  const ns = make();
  const others: Namesystem[] = [];
  return {
    db,
    pool,
    sqlDb,
    ns,
    config,
    root: makeCaller(config.superuser, [], config),
    alice: makeCaller('alice', ['staff'], config),
    bob: makeCaller('bob', ['bob'], config),
    other: (rows?: RowCache, cache?: MetadataCache, callsInProgress?: CallCount) => {
      const o = make(rows, cache, callsInProgress);
      others.push(o);
      return o;
    },
    close: async () => {
      await Promise.all(counterChannels.map((c) => c.end()));
      await pool.end();
      await db.drop();
    },
  };
}
