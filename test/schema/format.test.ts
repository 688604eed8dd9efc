import { allMigrations } from '../../schema/migrations/all-migrations';
import type { Connection } from 'mysql2/promise';
import { COUNTER_BLOCK_ID, COUNTER_GENERATION_STAMP, COUNTER_INODE_ID } from '../../schema/counters';
import { formatNamespace, type FormatOptions } from '../../schema/format';
import { createMysqlConnection } from '../../schema/mysql-config';
import { ForeignDatabaseError, NamespaceMismatchError, SchemaTooNewError } from '../../schema/schema-errors';
import { ROOT_INODE_ID } from '../../schema/tables';
import { COUNTER_CHANGE_TXN } from '../../schema/tables-change-log';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';

const options: FormatOptions = { engine: 'innodb', superuser: 'hdfs', supergroup: 'supergroup' };

describe('formatNamespace (real MariaDB)', () => {
  let db: TestDatabase;
  const open: Connection[] = [];
  const connect = async (): Promise<Connection> => {
    const conn = await createMysqlConnection(db.config);
    open.push(conn);
    return conn;
  };

  beforeEach(async () => {
    db = await createTestDatabase('format', { format: false });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.end()));
    await db.drop();
  });

  it('creates the namespace on an empty database', async () => {
    const conn = await connect();
    const before = Date.now();
    const result = await formatNamespace(conn, options);
    expect(result.created).toBe(true);
    expect(result.migrated).toEqual(allMigrations.map((m) => m.version));
    const { namespaceId, clusterId, blockPoolId } = result.namespace;
    expect(Number.isInteger(namespaceId) && namespaceId > 0 && namespaceId < 2 ** 31).toBe(true);
    expect(clusterId).toMatch(/^CID-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(blockPoolId).toMatch(new RegExp(`^BP-${namespaceId}-127\\.0\\.0\\.1-\\d{13}$`));

    const [info] = await conn.query('SELECT * FROM namespace_info');
    expect(info).toEqual([
      { id: 1, namespace_id: namespaceId, cluster_id: clusterId, block_pool_id: blockPoolId, created_at: expect.any(Number), safe_mode_entered_at: null },
    ]);
    const [counters] = await conn.query('SELECT name, value FROM counters ORDER BY name');
    expect(counters).toEqual([
      { name: COUNTER_BLOCK_ID, value: 1073741824 },
      { name: COUNTER_CHANGE_TXN, value: 0 },
      { name: COUNTER_GENERATION_STAMP, value: 1000 },
      { name: COUNTER_INODE_ID, value: ROOT_INODE_ID },
    ]);
    const [inodes] = await conn.query('SELECT * FROM inodes');
    expect(inodes).toEqual([
      expect.objectContaining({
        parent_id: 0,
        name: Buffer.alloc(0),
        id: 16385,
        type: 2,
        permission: 0o755,
        owner: 'hdfs',
        group_name: 'supergroup',
        replication: 0,
        length: 0,
        symlink: null,
        uc_client: null,
        subtree_lock_owner: null,
      }),
    ]);
    const root = (inodes as { mtime: number; atime: number }[])[0]!;
    expect(root.mtime).toBeGreaterThanOrEqual(before);
    expect(root.atime).toBe(root.mtime);
  });

  it('uses a given cluster id', async () => {
    const result = await formatNamespace(await connect(), { ...options, clusterId: 'CID-mine' });
    expect(result.namespace.clusterId).toBe('CID-mine');
  });

  it('only upgrades an already formatted database', async () => {
    const conn = await connect();
    const first = await formatNamespace(conn, options);
    const again = await formatNamespace(conn, { ...options, clusterId: first.namespace.clusterId });
    expect(again).toEqual({ created: false, migrated: [], namespace: first.namespace, membershipSecret: first.membershipSecret });
    expect(await formatNamespace(conn, { ...options, superuser: 'someone-else' })).toEqual(again);
    const [rows] = await conn.query('SELECT COUNT(*) AS n FROM inodes');
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('creates exactly one namespace when formatters race', async () => {
    const conns = await Promise.all([connect(), connect(), connect()]);
    const results = await Promise.all(conns.map((c) => formatNamespace(c, options)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.namespace.namespaceId)).size).toBe(1);
  });

  it('finishes a namespace whose creation was interrupted after migrating', async () => {
    const conn = await connect();
    await formatNamespace(conn, options);
    await conn.query('DELETE FROM namespace_info');
    await conn.query('DELETE FROM counters');
    await conn.query('DELETE FROM inodes');
    const result = await formatNamespace(conn, options);
    expect(result).toMatchObject({ created: true, migrated: [] });
  });

  it('refuses a different cluster id without touching anything', async () => {
    const conn = await connect();
    const first = await formatNamespace(conn, options);
    const attempt = formatNamespace(conn, { ...options, clusterId: 'CID-other' });
    await expect(attempt).rejects.toBeInstanceOf(NamespaceMismatchError);
    await expect(attempt).rejects.toThrow(`holds cluster ${first.namespace.clusterId}, not the requested CID-other`);
  });

  it('refuses a database holding someone else’s tables', async () => {
    const conn = await connect();
    await conn.query('CREATE TABLE customers (id INT PRIMARY KEY)');
    const attempt = formatNamespace(conn, options);
    await expect(attempt).rejects.toBeInstanceOf(ForeignDatabaseError);
    await expect(attempt).rejects.toThrow(/not empty and holds no nnfleet namespace \(tables: customers\)/);
    const [rows] = await conn.query('SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()');
    expect(rows).toEqual([{ t: 'customers' }]);
  });

  it('refuses a database migrated by a newer nnfleet', async () => {
    const conn = await connect();
    await formatNamespace(conn, options);
    await conn.query("INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'future', 0)");
    await expect(formatNamespace(conn, options)).rejects.toBeInstanceOf(SchemaTooNewError);
  });

  it('refuses a connection without a database', async () => {
    const conn = await createMysqlConnection({ ...db.config, database: '' });
    open.push(conn);
    await expect(formatNamespace(conn, options)).rejects.toThrow(/no database selected/);
  });
});

describe('createTestDatabase', () => {
  it('formats by default, owned by the current user', async () => {
    const db = await createTestDatabase('harness');
    const conn = await createMysqlConnection(db.config);
    try {
      const [rows] = await conn.query('SELECT owner, group_name FROM inodes WHERE id = ?', [ROOT_INODE_ID]);
      expect(rows).toEqual([{ owner: require('node:os').userInfo().username, group_name: 'supergroup' }]);
    } finally {
      await conn.end();
      await db.drop();
    }
  });
});
