import { currentDatabase } from './database-inspection';
import type { Engine } from './engine';
import { allMigrations } from './migrations/all-migrations';
import type { Migration } from './migrations/migration';
import { SchemaTooNewError } from './schema-errors';
import { withSchemaLock } from './schema-lock';
import { ensureSchemaVersionTable, readAppliedVersions, recordVersion } from './schema-version';
import type { SqlConnection } from './sql-connection';

export interface MigrateOptions {
  readonly engine: Engine;
  /** Defaults to every migration this code knows. */
  readonly migrations?: readonly Migration[];
  /** How long to wait for another migrator; default 60 s. */
  readonly lockTimeoutSeconds?: number;
}

export interface MigrateResult {
  /** Versions applied by this call, in order; empty when already current. */
  readonly applied: number[];
  /** The database's schema version afterwards. */
  readonly version: number;
}

export const DEFAULT_LOCK_TIMEOUT_SECONDS = 60;

/** Brings the current database's schema up to date under the schema lock. */
export async function migrate(conn: SqlConnection, opts: MigrateOptions): Promise<MigrateResult> {
  const database = await currentDatabase(conn);
  const timeout = opts.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS;
  return withSchemaLock(conn, database, timeout, () => applyPendingMigrations(conn, opts));
}

/**
 * The migration steps proper; the caller holds the schema lock. Refuses a
 * database newer than the code before changing anything.
 */
export async function applyPendingMigrations(conn: SqlConnection, opts: MigrateOptions): Promise<MigrateResult> {
  const migrations = opts.migrations ?? allMigrations;
  assertWellFormed(migrations);
  const known = migrations.at(-1)?.version ?? 0;
  await ensureSchemaVersionTable(conn, opts.engine);
  const appliedBefore = new Set(await readAppliedVersions(conn));
  const current = Math.max(0, ...appliedBefore);
  if (current > known) throw new SchemaTooNewError(current, known);

  const applied: number[] = [];
  for (const migration of migrations) {
    if (appliedBefore.has(migration.version)) continue;
    for (const statement of migration.statements(opts.engine)) await conn.query(statement);
    await recordVersion(conn, migration, Date.now());
    applied.push(migration.version);
  }
  return { applied, version: Math.max(current, ...applied) };
}

function assertWellFormed(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration #${i} has version ${m.version}; versions must be 1, 2, 3, …`);
  });
}
