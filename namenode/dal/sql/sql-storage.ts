import { createMysqlConnection, createMysqlPool, type MysqlConfig } from '../../../schema/mysql-config';
import type { DbSession } from '../db-session';
import type { SqlPool } from './sql-session';
import { SideChannel, type OwnConnection } from './side-channel';
import { SqlDb, sqlSessionOf } from './sql-db';

/** A namenode's connections to a MySQL-protocol database. */
export interface SqlStorage {
  /** The pool every operation runs on. */
  readonly db: SqlDb;
  /** One connection outside the pool for counter reservations (see SideChannel). */
  readonly counters: DbSession;
  end(): Promise<void>;
}

/**
 * Opens the pool and the counters' side channel. mysql2's promise pool and
 * connection satisfy `SqlPool` and `OwnConnection` at run time; their
 * declared types are wider (overloads, other result shapes), hence the one
 * cast at this boundary.
 */
export function openSqlStorage(config: MysqlConfig, poolSize: number): SqlStorage {
  const pool = createMysqlPool(config, { connectionLimit: poolSize }) as unknown as SqlPool;
  const side = new SideChannel(async () => (await createMysqlConnection(config)) as unknown as OwnConnection);
  const db = new SqlDb(pool);
  return {
    db,
    counters: sqlSessionOf(side),
    async end() {
      await side.end();
      await db.end();
    },
  };
}
