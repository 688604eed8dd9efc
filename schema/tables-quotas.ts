import type { ColumnDef, TableDef } from './table-def';

const bigint = { kind: 'bigint' } as const;
const tinyint = { kind: 'tinyint' } as const;

/**
 * inodes.has_quota (v0011): 1 on a directory with a quota (HDFS's
 * DirectoryWithQuotaFeature). On the row so that every path resolution
 * already knows which ancestors count usage, and a path under no quota
 * pays nothing.
 */
export const inodeHasQuotaColumn: ColumnDef = { name: 'has_quota', type: tinyint, default: 0 };

/**
 * One row per limited dimension of a quota directory: dimension 0 is the
 * namespace (files and directories), 1 the storage space, 10 + the
 * StorageTypeProto number a quota by storage type.
 */
export const quotaLimits: TableDef = {
  name: 'quota_limits',
  columns: [
    { name: 'dir_id', type: bigint },
    { name: 'dim', type: tinyint },
    { name: 'quota', type: bigint },
  ],
  primaryKey: ['dir_id', 'dim'],
  partitionBy: ['dir_id'],
};

/**
 * The usage of a quota directory, striped: for every counted dimension a
 * fixed number of stripe rows, each with the usage it saw (`used`) and the
 * allowance it may still hand out without looking at the others (`avail`).
 * Usage is the sum of `used`; the sum of `avail` is what the quota leaves
 * (a huge constant on a dimension without a limit). A change under the
 * directory updates one stripe, so concurrent creates under one quota root
 * rarely meet on a row; see namenode/quota/README.md.
 */
export const quotaUsage: TableDef = {
  name: 'quota_usage',
  columns: [
    { name: 'dir_id', type: bigint },
    { name: 'dim', type: tinyint },
    { name: 'stripe', type: tinyint },
    { name: 'used', type: bigint },
    { name: 'avail', type: bigint },
  ],
  primaryKey: ['dir_id', 'dim', 'stripe'],
  partitionBy: ['dir_id'],
};

export const tablesV11: readonly TableDef[] = [quotaLimits, quotaUsage];
