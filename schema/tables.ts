import type { ColumnDef, TableDef } from './table-def';

const bigint = { kind: 'bigint' } as const;
const int = { kind: 'int' } as const;
const smallint = { kind: 'smallint', unsigned: true } as const;
const tinyint = { kind: 'tinyint' } as const;

/** Hadoop's INodeId.ROOT_INODE_ID: (1 << 14) + 1; ids below are reserved. */
export const ROOT_INODE_ID = 16385;
/** The root's row: parent 0, empty name. */
export const ROOT_PARENT_ID = 0;

/**
 * One row per file, directory or symlink. The key (parent_id, name) makes
 * path resolution a primary-key lookup per component and a listing a scan of
 * one partition (NDB distributes by parent_id).
 */
/** The longest symlink target `inodes.symlink` holds, in UTF-8 bytes. */
export const SYMLINK_TARGET_MAX_BYTES = 4000;

export const inodes: TableDef = {
  name: 'inodes',
  columns: [
    { name: 'parent_id', type: bigint },
    { name: 'name', type: { kind: 'varbinary', length: 255 } },
    { name: 'id', type: bigint },
    /** 1 file, 2 directory, 3 symlink (see InodeType in namenode/dal/inode-row.ts). */
    { name: 'type', type: tinyint },
    /** Permission bits including the sticky bit (01000). */
    { name: 'permission', type: smallint },
    { name: 'owner', type: { kind: 'varchar', length: 255 } },
    { name: 'group_name', type: { kind: 'varchar', length: 255 } },
    { name: 'mtime', type: bigint },
    { name: 'atime', type: bigint },
    { name: 'replication', type: smallint, default: 0 },
    { name: 'block_size', type: bigint, default: 0 },
    { name: 'length', type: bigint, default: 0 },
    { name: 'storage_policy', type: tinyint, default: 0 },
    { name: 'symlink', type: { kind: 'varbinary', length: SYMLINK_TARGET_MAX_BYTES }, nullable: true },
    /** Lease holder while the file is under construction, else NULL. */
    { name: 'uc_client', type: { kind: 'varchar', length: 255 }, nullable: true },
    { name: 'uc_machine', type: { kind: 'varchar', length: 255 }, nullable: true },
    /** Subtree operation lock: owning namenode id and when it was taken (ms). */
    { name: 'subtree_lock_owner', type: bigint, nullable: true },
    { name: 'subtree_lock_time', type: bigint, nullable: true },
  ],
  primaryKey: ['parent_id', 'name'],
  uniqueKeys: [{ name: 'inodes_id', columns: ['id'] }],
  partitionBy: ['parent_id'],
};

/** Extended attributes; namespace is XAttrProto.XAttrNamespaceProto. */
export const xattrs: TableDef = {
  name: 'xattrs',
  columns: [
    { name: 'inode_id', type: bigint },
    { name: 'namespace', type: tinyint },
    { name: 'name', type: { kind: 'varbinary', length: 255 } },
    { name: 'value', type: { kind: 'varbinary', length: 16384 }, nullable: true },
  ],
  primaryKey: ['inode_id', 'namespace', 'name'],
  partitionBy: ['inode_id'],
};

/** Id counters (inode ids, block ids, generation stamps), handed out in ranges. */
export const counters: TableDef = {
  name: 'counters',
  columns: [
    { name: 'name', type: { kind: 'varchar', length: 64 } },
    { name: 'value', type: bigint },
  ],
  primaryKey: ['name'],
};

/** Which namespace this database holds (one row, id = 1). */
export const namespaceInfo: TableDef = {
  name: 'namespace_info',
  columns: [
    { name: 'id', type: tinyint },
    { name: 'namespace_id', type: int },
    { name: 'cluster_id', type: { kind: 'varchar', length: 128 } },
    { name: 'block_pool_id', type: { kind: 'varchar', length: 128 } },
    { name: 'created_at', type: bigint },
  ],
  primaryKey: ['id'],
};

/** File leases: one row per (holder, inode) — renewal time kept per holder. */
export const leases: TableDef = {
  name: 'leases',
  columns: [
    { name: 'holder', type: { kind: 'varchar', length: 255 } },
    { name: 'last_renewed', type: bigint },
  ],
  primaryKey: ['holder'],
};

export const leasePaths: TableDef = {
  name: 'lease_paths',
  columns: [
    { name: 'inode_id', type: bigint },
    { name: 'holder', type: { kind: 'varchar', length: 255 } },
  ],
  primaryKey: ['inode_id'],
  indexes: [{ name: 'lease_paths_holder', columns: ['holder'] }],
};

/** The tables of schema version 1, in creation order. */
export const tablesV1: readonly TableDef[] = [namespaceInfo, counters, inodes, xattrs, leases, leasePaths];

/**
 * inodes.children (v0007): how many rows have this directory as parent,
 * kept by every operation that adds or removes a child in the same update
 * of the parent row it already makes (its mtime), so
 * dfs.namenode.fs-limits.max-directory-items costs no count.
 */
export const inodeChildrenColumn: ColumnDef = { name: 'children', type: bigint, default: 0 };

/**
 * inodes.acl (v0008): the extended ACL entries HDFS keeps in an inode's
 * AclFeature, encoded by namenode/dal/sql/acl-column.ts; NULL for the
 * inodes without an ACL, so reading them costs nothing. On the row (not a
 * table of their own) so every path resolution and lock already reads them.
 * 29 entries of at most 257 bytes fit.
 */
export const inodeAclColumn: ColumnDef = { name: 'acl', type: { kind: 'varbinary', length: 8192 }, nullable: true };

/**
 * namespace_info.safe_mode_entered_at (v0009): where the fleet's safe mode
 * was kept until v0017 moved it to the root inode's row. Nothing reads or
 * writes it since; it stays, so that v0017's copy can run again.
 */
export const safeModeColumn: ColumnDef = { name: 'safe_mode_entered_at', type: bigint, nullable: true };

/**
 * inodes.safe_mode_entered_at (v0017), set on the root's row only: when an
 * administrator put the whole fleet in safe mode (epoch ms), NULL while it
 * is off. Every path write locks the root row in its lock round trip, so
 * the state rides on a row that statement reads anyway (no second table in
 * it); entering safe mode updates the row and so waits for every write
 * that locked it first. NULL on every other row (no bytes in InnoDB).
 */
export const rootSafeModeColumn: ColumnDef = { name: 'safe_mode_entered_at', type: bigint, nullable: true };

/**
 * inodes.status_head / status_tail (v0016): the inode's HdfsFileStatusProto
 * bytes before and after modification_time (namenode/wire/status-parts.ts),
 * written with every write of the row, so a listing reads three columns a
 * child (head, mtime, tail) and copies them into its answer. NULL on rows
 * written before v16: a listing page with one reads the full rows instead.
 * The head holds the name and the owner and group (255 characters each, up
 * to four bytes a character); the tail the symlink target.
 */
export const inodeStatusColumns: readonly ColumnDef[] = [
  { name: 'status_head', type: { kind: 'varbinary', length: 2400 }, nullable: true },
  { name: 'status_tail', type: { kind: 'varbinary', length: SYMLINK_TARGET_MAX_BYTES + 100 }, nullable: true },
];
