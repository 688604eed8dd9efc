import { INITIAL_COUNTERS } from './counters';
import { selectRows, type SqlConnection } from './sql-connection';
import { ROOT_INODE_ID, ROOT_PARENT_ID } from './tables';

/** What identifies a namespace to datanodes and clients (Hadoop's NamespaceInfo). */
export interface NamespaceIdentity {
  readonly namespaceId: number;
  readonly clusterId: string;
  readonly blockPoolId: string;
}

export interface NewNamespace extends NamespaceIdentity {
  readonly superuser: string;
  readonly supergroup: string;
  /** Epoch ms: creation time and the root's mtime/atime. */
  readonly now: number;
}

/** InodeType.Directory (namenode/dal/inode-row.ts); schema/ does not import the namenode. */
const INODE_TYPE_DIRECTORY = 2;
const ROOT_PERMISSION = 0o755;

export const NAMESPACE_IDENTITY_SQL = 'SELECT namespace_id, cluster_id, block_pool_id FROM namespace_info WHERE id = 1';

export const toNamespaceIdentity = (row: Readonly<Record<string, unknown>>): NamespaceIdentity => ({
  namespaceId: Number(row['namespace_id']),
  clusterId: String(row['cluster_id']),
  blockPoolId: String(row['block_pool_id']),
});

export async function readNamespaceIdentity(conn: SqlConnection): Promise<NamespaceIdentity | undefined> {
  const [row] = await selectRows(conn, NAMESPACE_IDENTITY_SQL);
  return row ? toNamespaceIdentity(row) : undefined;
}

/**
 * Writes the namespace_info row, the counters and the root inode in one
 * transaction, so a crash leaves either a whole namespace or none.
 */
export async function insertNamespace(conn: SqlConnection, ns: NewNamespace): Promise<void> {
  await conn.query('START TRANSACTION');
  try {
    const counters = [...INITIAL_COUNTERS];
    await conn.query(
      `INSERT INTO counters (name, value) VALUES ${counters.map(() => '(?, ?)').join(', ')}`,
      counters.flat(),
    );
    await conn.query(
      'INSERT INTO inodes (parent_id, name, id, type, permission, owner, group_name, mtime, atime) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [
        ROOT_PARENT_ID,
        Buffer.alloc(0),
        ROOT_INODE_ID,
        INODE_TYPE_DIRECTORY,
        ROOT_PERMISSION,
        ns.superuser,
        ns.supergroup,
        ns.now,
        ns.now,
      ],
    );
    await conn.query(
      'INSERT INTO namespace_info (id, namespace_id, cluster_id, block_pool_id, created_at) VALUES (1, ?, ?, ?, ?)',
      [ns.namespaceId, ns.clusterId, ns.blockPoolId, ns.now],
    );
    await conn.query('COMMIT');
  } catch (err) {
    await conn.query('ROLLBACK');
    throw err;
  }
}
