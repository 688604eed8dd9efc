import { migrate } from '../../schema/migrate';
import { allMigrations } from '../../schema/migrations/all-migrations';
import { v0008Acls } from '../../schema/migrations/v0008-acls';
import { emptyDatabaseForFile } from '../harness/empty-database';

const db = emptyDatabaseForFile('aclsmigration');

test('v0008 adds inodes.acl, NULL (no ACL) for every inode made before it, and runs again harmlessly', async () => {
  const conn = db.conn();
  const before = allMigrations.filter((m) => m.version < v0008Acls.version);
  await migrate(conn, { engine: 'innodb', migrations: before });
  await conn.query('INSERT INTO inodes (parent_id, name, id, type, permission, owner, group_name, mtime, atime) VALUES (0, ?, 16385, 2, 493, ?, ?, 0, 0)', [Buffer.alloc(0), 'u', 'g']);
  expect((await migrate(conn, { engine: 'innodb', migrations: [...before, v0008Acls] })).applied).toEqual([v0008Acls.version]);
  const [rows] = await conn.query('SELECT id, acl FROM inodes');
  expect(rows).toEqual([{ id: 16385, acl: null }]);
  for (const statement of v0008Acls.statements('innodb')) await conn.query(statement);
});
