import type { Connection } from 'mysql2/promise';
import { createMysqlConnection } from '../../schema/mysql-config';
import { createTestDatabase, type TestDatabase } from './test-database';

/**
 * For a migration test file: an unformatted database and a connection to
 * it for the whole file, made in beforeAll and dropped in afterAll.
 */
export function emptyDatabaseForFile(prefix: string): { readonly conn: () => Connection } {
  let db: TestDatabase | undefined;
  let conn: Connection | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(prefix, { format: false });
    conn = await createMysqlConnection(db.config);
  });
  afterAll(async () => {
    await conn?.end();
    await db?.drop();
  });
  return {
    conn: () => {
      if (!conn) throw new Error('the database is made in beforeAll');
      return conn;
    },
  };
}
