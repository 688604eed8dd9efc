import { NoDatabaseSelectedError } from './schema-errors';
import { selectRows, type SqlConnection } from './sql-connection';

/** Name of the connection's current database; throws when none is selected. */
export async function currentDatabase(conn: SqlConnection): Promise<string> {
  const [row] = await selectRows(conn, 'SELECT DATABASE() AS db');
  const db = row?.['db'];
  if (typeof db !== 'string' || db === '') throw new NoDatabaseSelectedError();
  return db;
}

/** Base tables and views of the current database, sorted by name. */
export async function listTables(conn: SqlConnection): Promise<string[]> {
  const rows = await selectRows(
    conn,
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name',
  );
  return rows.map((r) => String(r['name']));
}
