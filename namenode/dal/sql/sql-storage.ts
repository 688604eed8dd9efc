import { createMysqlConnection, createMysqlPool, type MysqlConfig } from '../../../schema/mysql-config';
import type { DbSession } from '../db-session';
import type { SqlPool } from './sql-session';
import { SideChannel, type OwnConnection } from './side-channel';
import { compoundStatementsSupported, SqlDb, sqlSessionOf } from './sql-db';
import { CAUSAL_READS_SQL, galeraNode, UNKNOWN_SYSTEM_VARIABLE } from './galera-session';

/** A namenode's connections to a MySQL-protocol database. */
export interface SqlStorage {
  /** The pool every operation runs on. */
  readonly db: SqlDb;
  /** One connection outside the pool for counter reservations (see SideChannel). */
  readonly counters: DbSession;
  /** Whether the database is a Galera node with replication on (galera-session.ts). */
  galera(): Promise<boolean>;
  /** Whether the server takes compound statements (MariaDB), which the pool's transactions then write with (SqlDb.compoundWrites). */
  compoundStatements(): Promise<boolean>;
  end(): Promise<void>;
}

/**
 * Opens the pool and the counters' side channel. mysql2's promise pool and
 * connection satisfy `SqlPool` and `OwnConnection` at run time; their
 * declared types are wider (overloads, other result shapes), hence the one
 * cast at this boundary. Every pooled connection reads causally on Galera
 * (CAUSAL_READS_SQL); `onSessionError` hears of a connection on which that
 * setting failed for another reason than the server lacking the variable.
 */
export function openSqlStorage(config: MysqlConfig, poolSize: number, onSessionError?: (e: unknown) => void): SqlStorage {
  const pool = createMysqlPool(config, {
    connectionLimit: poolSize,
    sessionSql: CAUSAL_READS_SQL,
    onSessionSqlError: (e) => {
      if ((e as { errno?: number }).errno !== UNKNOWN_SYSTEM_VARIABLE) onSessionError?.(e);
    },
  }) as unknown as SqlPool;
  const side = new SideChannel(async () => (await createMysqlConnection(config)) as unknown as OwnConnection);
  const db = new SqlDb(pool);
  return {
    db,
    counters: sqlSessionOf(side),
    galera: () => galeraNode(side),
    compoundStatements: () => compoundStatementsSupported(side),
    async end() {
      await side.end();
      await db.end();
    },
  };
}
