import type { Connection } from 'mysql2/promise';
import { migrate } from '../../schema/migrate';
import { allMigrations } from '../../schema/migrations/all-migrations';
import { v0009SafeMode } from '../../schema/migrations/v0009-safe-mode';
import { createMysqlConnection } from '../../schema/mysql-config';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';

let db: TestDatabase;
let conn: Connection;
beforeAll(async () => {
  db = await createTestDatabase('safemode_mig', { format: false });
  conn = await createMysqlConnection(db.config);
});
afterAll(async () => {
  await conn.end();
  await db.drop();
});

test('v0009 gives a namespace made before it the safe-mode column, off, and runs again harmlessly', async () => {
  await migrate(conn, { engine: 'innodb', migrations: allMigrations.slice(0, 8) });
  await conn.query("INSERT INTO namespace_info (id, namespace_id, cluster_id, block_pool_id, created_at) VALUES (1, 7, 'CID-x', 'BP-x', 0)");
  expect((await migrate(conn, { engine: 'innodb', migrations: allMigrations.slice(0, 9) })).applied).toEqual([9]);
  const read = async () => ((await conn.query('SELECT safe_mode_entered_at FROM namespace_info'))[0] as { safe_mode_entered_at: unknown }[])[0]?.safe_mode_entered_at;
  expect(await read()).toBeNull();
  for (const statement of v0009SafeMode.statements('innodb')) await conn.query(statement);
  expect(await read()).toBeNull();
});
