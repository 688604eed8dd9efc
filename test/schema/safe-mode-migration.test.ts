import type { Connection } from 'mysql2/promise';
import { migrate } from '../../schema/migrate';
import { allMigrations } from '../../schema/migrations/all-migrations';
import { v0009SafeMode } from '../../schema/migrations/v0009-safe-mode';
import { v0017RootSafeMode } from '../../schema/migrations/v0017-root-safe-mode';
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

test('v0017 carries the safe mode over to the root row, and runs again harmlessly', async () => {
  const run = async (upTo: number) => (await migrate(conn, { engine: 'innodb', migrations: allMigrations.slice(0, upTo) })).applied;
  await run(16);
  await conn.query("INSERT INTO inodes (parent_id, name, id, type, permission, owner, group_name, mtime, atime) VALUES (0, '', 1, 1, 493, 'hdfs', 'supergroup', 0, 0)");
  await conn.query("INSERT INTO inodes (parent_id, name, id, type, permission, owner, group_name, mtime, atime) VALUES (1, 'd', 2, 1, 493, 'hdfs', 'supergroup', 0, 0)");
  await conn.query('UPDATE namespace_info SET safe_mode_entered_at = 1234 WHERE id = 1');
  expect(await run(17)).toEqual([17]);
  const column = async () => ((await conn.query('SELECT id, safe_mode_entered_at AS at FROM inodes ORDER BY id'))[0] as { id: number; at: unknown }[]).map((r) => [r.id, r.at === null ? null : Number(r.at)]);
  expect(await column()).toEqual([
    [1, 1234],
    [2, null],
  ]);
  for (const statement of v0017RootSafeMode.statements('innodb')) await conn.query(statement);
  expect(await column()).toEqual([
    [1, 1234],
    [2, null],
  ]);
});
