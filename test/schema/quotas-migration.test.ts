import type { Connection } from 'mysql2/promise';
import { migrate } from '../../schema/migrate';
import { allMigrations } from '../../schema/migrations/all-migrations';
import { v0011Quotas } from '../../schema/migrations/v0011-quotas';
import { createMysqlConnection } from '../../schema/mysql-config';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';

let db: TestDatabase;
let conn: Connection;
beforeAll(async () => {
  db = await createTestDatabase('quotas_mig', { format: false });
  conn = await createMysqlConnection(db.config);
});
afterAll(async () => {
  await conn.end();
  await db.drop();
});

test('the quotas migration leaves every existing directory without a quota, adds the empty quota tables, and runs again harmlessly', async () => {
  const before = allMigrations.indexOf(v0011Quotas);
  await migrate(conn, { engine: 'innodb', migrations: allMigrations.slice(0, before) });
  await conn.query("INSERT INTO inodes (parent_id, name, id, type, permission, owner, group_name, mtime, atime) VALUES (0, '', 16385, 2, 493, 'hdfs', 'supergroup', 0, 0)");
  expect((await migrate(conn, { engine: 'innodb', migrations: allMigrations.slice(0, before + 1) })).applied).toEqual([v0011Quotas.version]);
  const read = async () => ({
    flags: ((await conn.query('SELECT has_quota FROM inodes'))[0] as { has_quota: number }[]).map((r) => r.has_quota),
    limits: ((await conn.query('SELECT COUNT(*) AS n FROM quota_limits'))[0] as { n: number }[])[0]?.n,
    usage: ((await conn.query('SELECT COUNT(*) AS n FROM quota_usage'))[0] as { n: number }[])[0]?.n,
  });
  expect(await read()).toEqual({ flags: [0], limits: 0, usage: 0 });
  for (const statement of v0011Quotas.statements('innodb')) await conn.query(statement);
  expect(await read()).toEqual({ flags: [0], limits: 0, usage: 0 });
});
