import type { Engine } from './engine';
import type { Migration } from './migrations/migration';
import { renderCreateTable } from './render-ddl';
import { selectRows, type SqlConnection } from './sql-connection';
import type { TableDef } from './table-def';

/** One row per applied migration; its presence marks a database as nnfleet's. */
export const schemaVersionTable: TableDef = {
  name: 'schema_version',
  columns: [
    { name: 'version', type: { kind: 'int' } },
    { name: 'description', type: { kind: 'varchar', length: 255 } },
    /** Epoch milliseconds, like every time in the schema. */
    { name: 'applied_at', type: { kind: 'bigint' } },
  ],
  primaryKey: ['version'],
};

export async function ensureSchemaVersionTable(conn: SqlConnection, engine: Engine): Promise<void> {
  await conn.query(renderCreateTable(schemaVersionTable, engine));
}

export async function readAppliedVersions(conn: SqlConnection): Promise<number[]> {
  const rows = await selectRows(conn, 'SELECT version FROM schema_version ORDER BY version');
  return rows.map((r) => Number(r['version']));
}

/** Idempotent: a second migrator that could not be locked out records nothing new. */
export async function recordVersion(conn: SqlConnection, migration: Migration, appliedAt: number): Promise<void> {
  await conn.query(
    'INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?) ' +
      'ON DUPLICATE KEY UPDATE version = version',
    [migration.version, migration.description, appliedAt],
  );
}
