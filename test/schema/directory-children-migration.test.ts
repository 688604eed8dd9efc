import type { Connection } from 'mysql2/promise';
import { migrate } from '../../schema/migrate';
import { allMigrations } from '../../schema/migrations/all-migrations';
import { createMysqlConnection } from '../../schema/mysql-config';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';

let db: TestDatabase;
let conn: Connection;
beforeAll(async () => {
  db = await createTestDatabase('dirchildren', { format: false });
  conn = await createMysqlConnection(db.config);
});
afterAll(async () => {
  await conn.end();
  await db.drop();
});

const insertInode = (parentId: number, name: string, id: number, type: number) =>
  conn.query('INSERT INTO inodes (parent_id, name, id, type, permission, owner, group_name, mtime, atime) VALUES (?, ?, ?, ?, 493, ?, ?, 0, 0)', [parentId, Buffer.from(name), id, type, 'u', 'g']);

test('v0007 adds inodes.children to a namespace made before it, with every directory counted, and runs again harmlessly', async () => {
  await migrate(conn, { engine: 'innodb', migrations: allMigrations.slice(0, 6) });
  // root 16385 ⊃ {a 16386 ⊃ {f1, f2, b 16389 ⊃ {}}, g 16390 (file)}
  await insertInode(0, '', 16385, 2);
  await insertInode(16385, 'a', 16386, 2);
  await insertInode(16386, 'f1', 16387, 1);
  await insertInode(16386, 'f2', 16388, 1);
  await insertInode(16386, 'b', 16389, 2);
  await insertInode(16385, 'g', 16390, 1);
  expect((await migrate(conn, { engine: 'innodb', migrations: allMigrations.slice(0, 7) })).applied).toEqual([7]);
  const [rows] = await conn.query('SELECT id, children FROM inodes ORDER BY id');
  expect((rows as { id: number; children: number }[]).map((r) => [Number(r.id), Number(r.children)])).toEqual([
    [16385, 2],
    [16386, 3],
    [16387, 0],
    [16388, 0],
    [16389, 0],
    [16390, 0],
  ]);
  // An interrupted migration is run again from its first statement: both are safe to repeat on InnoDB.
  for (const statement of allMigrations[6]?.statements('innodb') ?? []) await conn.query(statement);
  const [again] = await conn.query('SELECT SUM(children) AS total FROM inodes');
  expect(Number((again as { total: number }[])[0]?.total)).toBe(5);
});
