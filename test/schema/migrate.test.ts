import type { Connection } from 'mysql2/promise';
import { migrate } from '../../schema/migrate';
import { allMigrations } from '../../schema/migrations/all-migrations';
import { v0001CreateTables } from '../../schema/migrations/v0001-create-tables';

/** These tests exercise the runner on version 1 alone; the real list is checked at the end. */
const V1 = { engine: 'innodb' as const, migrations: [v0001CreateTables] };
import type { Migration } from '../../schema/migrations/migration';
import { createMysqlConnection } from '../../schema/mysql-config';
import { SchemaLockTimeoutError, SchemaTooNewError } from '../../schema/schema-errors';
import { schemaLockName } from '../../schema/schema-lock';
import { tablesV1 } from '../../schema/tables';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';

describe('migrate (real MariaDB)', () => {
  let db: TestDatabase;
  const open: Connection[] = [];
  const connect = async (): Promise<Connection> => {
    const conn = await createMysqlConnection(db.config);
    open.push(conn);
    return conn;
  };

  beforeEach(async () => {
    db = await createTestDatabase('migrate', { format: false });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.end()));
    await db.drop();
  });

  const tableNames = async (conn: Connection): Promise<string[]> => {
    const [rows] = await conn.query(
      'SELECT table_name AS name, engine FROM information_schema.tables WHERE table_schema = DATABASE()',
    );
    return (rows as { name: string }[]).map((r) => r.name).sort();
  };

  it('creates the v1 tables and records the version', async () => {
    const conn = await connect();
    const result = await migrate(conn, V1);
    expect(result).toEqual({ applied: [1], version: 1 });
    expect(await tableNames(conn)).toEqual([...tablesV1.map((t) => t.name), 'schema_version'].sort());
    const [rows] = await conn.query('SELECT version, description, applied_at FROM schema_version');
    expect(rows).toEqual([{ version: 1, description: allMigrations[0]?.description, applied_at: expect.any(Number) }]);
  });

  it('is idempotent', async () => {
    const conn = await connect();
    await migrate(conn, V1);
    expect(await migrate(conn, V1)).toEqual({ applied: [], version: 1 });
    const [rows] = await conn.query('SELECT COUNT(*) AS n FROM schema_version');
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('applies only pending migrations, in order', async () => {
    const conn = await connect();
    await migrate(conn, V1);
    const v2: Migration = {
      version: 2,
      description: 'add a probe table',
      statements: () => ['CREATE TABLE IF NOT EXISTS probe (id INT PRIMARY KEY) ENGINE=InnoDB'],
    };
    expect(await migrate(conn, { engine: 'innodb', migrations: [v0001CreateTables, v2] })).toEqual({
      applied: [2],
      version: 2,
    });
    expect(await tableNames(conn)).toContain('probe');
  });

  it('lets one of several concurrent migrators do the work', async () => {
    const conns = await Promise.all([connect(), connect(), connect(), connect()]);
    const results = await Promise.all(conns.map((c) => migrate(c, V1)));
    expect(results.map((r) => r.applied).flat()).toEqual([1]);
    expect(results.every((r) => r.version === 1)).toBe(true);
    const [rows] = await conns[0]!.query('SELECT version FROM schema_version');
    expect(rows).toEqual([{ version: 1 }]);
  });

  it('serialises migrators on the schema lock', async () => {
    const holder = await connect();
    const waiter = await connect();
    await holder.query('SELECT GET_LOCK(?, 10)', [schemaLockName(db.name)]);
    await expect(migrate(waiter, { ...V1, lockTimeoutSeconds: 1 })).rejects.toBeInstanceOf(
      SchemaLockTimeoutError,
    );
    await holder.query('SELECT RELEASE_LOCK(?)', [schemaLockName(db.name)]);
    expect((await migrate(waiter, V1)).applied).toEqual([1]);
  });

  it('refuses a database newer than the code', async () => {
    const conn = await connect();
    await migrate(conn, V1);
    await conn.query("INSERT INTO schema_version (version, description, applied_at) VALUES (7, 'future', 0)");
    const attempt = migrate(conn, V1);
    await expect(attempt).rejects.toBeInstanceOf(SchemaTooNewError);
    await expect(attempt).rejects.toThrow(/version 7, newer than the 1/);
  });

  it('releases the lock after a failed migration', async () => {
    const conn = await connect();
    const broken: Migration = { version: 1, description: 'broken', statements: () => ['NOT SQL'] };
    await expect(migrate(conn, { engine: 'innodb', migrations: [broken] })).rejects.toThrow();
    const [rows] = await conn.query('SELECT IS_USED_LOCK(?) AS holder', [schemaLockName(db.name)]);
    expect(rows).toEqual([{ holder: null }]);
  });

  it('rejects gaps in the migration list', async () => {
    const conn = await connect();
    const v3: Migration = { version: 3, description: 'gap', statements: () => [] };
    await expect(migrate(conn, { engine: 'innodb', migrations: [v0001CreateTables, v3] })).rejects.toThrow(
      /versions must be 1, 2, 3/,
    );
  });

  it('applies every known migration in order by default', async () => {
    const conn = await connect();
    const result = await migrate(conn, { engine: 'innodb' });
    expect(result.applied).toEqual(allMigrations.map((m) => m.version));
    expect(result.version).toBe(allMigrations.length);
  });
});

describe('schemaLockName', () => {
  it('stays within MySQL’s 64-character limit', () => {
    expect(schemaLockName('db')).toBe('nnfleet-schema:db');
    expect(schemaLockName('x'.repeat(64))).toHaveLength(64);
  });
});
