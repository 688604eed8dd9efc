import { inodeAclColumn, inodeChildrenColumn, inodes, xattrs } from './tables';
import type { ColumnDef, TableDef } from './table-def';

const bigint = { kind: 'bigint' } as const;
const int = { kind: 'int' } as const;
const tinyint = { kind: 'tinyint' } as const;

/**
 * inodes.latest_snapshot (v0012): 0 on a row that is not a snapshottable
 * directory, -1 on one without snapshots, else the id of its newest live
 * snapshot. On the row so that every path
 * resolution knows whether a write lands in a snapshotted tree (see
 * namenode/snapshot/README.md), and a path under none pays nothing.
 */
export const inodeLatestSnapshotColumn: ColumnDef = { name: 'latest_snapshot', type: bigint, default: 0 };

/** inodes.snap_epoch (v0012): the newest snapshot id this row's current state is already copied (or created) after. */
export const inodeSnapEpochColumn: ColumnDef = { name: 'snap_epoch', type: bigint, default: 0 };

/** One row per directory allowSnapshot made snapshottable (HDFS's DirectorySnapshottableFeature). */
export const snapshottableDirs: TableDef = {
  name: 'snapshottable_dirs',
  columns: [
    { name: 'dir_id', type: bigint },
    /** DirectorySnapshottableFeature.SNAPSHOT_QUOTA_DEFAULT (65536). */
    { name: 'snapshot_quota', type: int },
  ],
  primaryKey: ['dir_id'],
};

/**
 * One row per snapshot. Ids are global and only grow (counter
 * `snapshot_id`), which is what lets one inode version serve every snapshot
 * taken between two changes. `deleted` is 1 while the leader reclaims it.
 */
export const snapshots: TableDef = {
  name: 'snapshots',
  columns: [
    { name: 'dir_id', type: bigint },
    { name: 'name', type: { kind: 'varbinary', length: 255 } },
    { name: 'snapshot_id', type: bigint },
    { name: 'created_at', type: bigint },
    { name: 'deleted', type: tinyint, default: 0 },
  ],
  primaryKey: ['dir_id', 'name'],
  uniqueKeys: [{ name: 'snapshots_id', columns: ['snapshot_id'] }],
  partitionBy: ['dir_id'],
};

/**
 * The pre-change image of an inode row, written by the transaction layer's
 * copy-on-write seam the first time a row changes after a snapshot; a
 * tombstone (present = 0) for a row created after it. Every column of
 * `inodes` except the subtree lock.
 */
export const inodeVersions: TableDef = {
  name: 'inode_versions',
  columns: [
    { name: 'inode_id', type: bigint },
    { name: 'snapshot_id', type: bigint },
    { name: 'present', type: tinyint, default: 1 },
    ...inodes.columns.filter((c) => c.name !== 'id' && !c.name.startsWith('subtree_lock')),
    inodeChildrenColumn,
    inodeAclColumn,
  ],
  primaryKey: ['inode_id', 'snapshot_id'],
  indexes: [
    { name: 'inode_versions_child', columns: ['parent_id', 'name'] },
    { name: 'inode_versions_snapshot', columns: ['snapshot_id'] },
  ],
  partitionBy: ['inode_id'],
};

export const tablesV12: readonly TableDef[] = [snapshottableDirs, snapshots, inodeVersions];

/**
 * A block a snapshot still reads after a truncate took it out of the file
 * (v0014): dropped whole past the new end, or the cut block, which HDFS's
 * copy-on-truncate replaced by a new block id (`replaced_by`, 0 when
 * dropped). Keyed like the inode version it goes with: a snapshot `s`
 * reads index `i` from the version with the smallest key `>= s`, else from
 * `blocks`. `block_id` is unique: a block report finds its owner here.
 */
export const blockVersions: TableDef = {
  name: 'block_versions',
  columns: [
    { name: 'inode_id', type: bigint },
    { name: 'snapshot_id', type: bigint },
    { name: 'block_index', type: int },
    { name: 'block_id', type: bigint },
    { name: 'generation_stamp', type: bigint },
    { name: 'num_bytes', type: bigint },
    { name: 'replaced_by', type: bigint, default: 0 },
  ],
  primaryKey: ['inode_id', 'snapshot_id', 'block_index'],
  uniqueKeys: [{ name: 'block_versions_block_id', columns: ['block_id'] }],
  indexes: [{ name: 'block_versions_replaced_by', columns: ['replaced_by'] }],
  partitionBy: ['inode_id'],
};

/**
 * The xattr rows an inode version carries (v0015): a copy of the inode's
 * `xattrs` rows taken by the same copy-on-write seam that wrote the version
 * `(inode_id, snapshot_id)`, so a snapshot's xattrs follow the one rule too.
 */
export const inodeVersionXAttrs: TableDef = {
  name: 'inode_version_xattrs',
  columns: [{ name: 'inode_id', type: bigint }, { name: 'snapshot_id', type: bigint }, ...xattrs.columns.filter((c) => c.name !== 'inode_id')],
  primaryKey: ['inode_id', 'snapshot_id', 'namespace', 'name'],
  partitionBy: ['inode_id'],
};
