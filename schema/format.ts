import { randomInt, randomUUID } from 'node:crypto';
import { currentDatabase, listTables } from './database-inspection';
import type { Engine } from './engine';
import { applyPendingMigrations, DEFAULT_LOCK_TIMEOUT_SECONDS } from './migrate';
import { ensureMembershipSecret } from './membership-secret-rows';
import { insertNamespace, readNamespaceIdentity, type NamespaceIdentity } from './namespace-rows';
import { ForeignDatabaseError, NamespaceMismatchError } from './schema-errors';
import { withSchemaLock } from './schema-lock';
import { schemaVersionTable } from './schema-version';
import type { SqlConnection } from './sql-connection';
import { namespaceInfo } from './tables';

export interface FormatOptions {
  readonly engine: Engine;
  /** Owner of the root directory (Hadoop: the user that formatted). */
  readonly superuser: string;
  /** Group of the root directory (dfs.permissions.superusergroup). */
  readonly supergroup: string;
  /** Requested cluster id; a new namespace gets `CID-<uuid>` without it. */
  readonly clusterId?: string;
  readonly lockTimeoutSeconds?: number;
}

export interface FormatResult {
  /** True when this call created the namespace. */
  readonly created: boolean;
  /** Migration versions applied by this call. */
  readonly migrated: number[];
  readonly namespace: NamespaceIdentity;
  /** What datanodes prove they hold (the content of `nnfleet up`'s datanode key file). */
  readonly membershipSecret: Buffer;
}

/**
 * Creates or upgrades the namespace in the connection's current database.
 * Safe to run on every start: an existing namespace is only migrated.
 * Refuses, before changing anything, a database holding someone else's
 * tables or another cluster's namespace.
 */
export async function formatNamespace(conn: SqlConnection, opts: FormatOptions): Promise<FormatResult> {
  const database = await currentDatabase(conn);
  const timeout = opts.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS;
  return withSchemaLock(conn, database, timeout, async () => {
    const existing = await inspectExisting(conn, database);
    if (existing && opts.clusterId !== undefined && existing.clusterId !== opts.clusterId) {
      throw new NamespaceMismatchError(database, existing.clusterId, opts.clusterId);
    }
    const { applied } = await applyPendingMigrations(conn, { engine: opts.engine });
    // Also for a namespace formatted before schema version 4.
    const membershipSecret = await ensureMembershipSecret(conn);
    if (existing) return { created: false, migrated: applied, namespace: existing, membershipSecret };

    const now = Date.now();
    const namespaceId = randomInt(1, 2 ** 31);
    const namespace: NamespaceIdentity = {
      namespaceId,
      clusterId: opts.clusterId ?? `CID-${randomUUID()}`,
      blockPoolId: `BP-${namespaceId}-127.0.0.1-${now}`,
    };
    await insertNamespace(conn, { ...namespace, superuser: opts.superuser, supergroup: opts.supergroup, now });
    return { created: true, migrated: applied, namespace, membershipSecret };
  });
}

/**
 * The namespace already in the database, if any. A database is nnfleet's
 * when it has a schema_version table; any other non-empty one is foreign.
 */
async function inspectExisting(conn: SqlConnection, database: string): Promise<NamespaceIdentity | undefined> {
  const tables = await listTables(conn);
  if (tables.length === 0) return undefined;
  if (!tables.includes(schemaVersionTable.name)) throw new ForeignDatabaseError(database, tables);
  if (!tables.includes(namespaceInfo.name)) return undefined;
  return readNamespaceIdentity(conn);
}
