import { renderAddColumn, renderCreateTable } from '../render-ddl';
import { inodes } from '../tables';
import { inodeLatestSnapshotColumn, inodeSnapEpochColumn, tablesV12 } from '../tables-snapshots';
import type { Migration } from './migration';

/**
 * Snapshots on rows (namenode/snapshot/README.md): the two inode columns,
 * the snapshottable directories, the snapshots and the inode versions. No
 * directory is snapshottable yet. Version 13, after the change log's v0012.
 */
export const v0013Snapshots: Migration = {
  version: 13,
  description: 'snapshots: inodes.latest_snapshot/snap_epoch, snapshottable_dirs, snapshots, inode_versions',
  statements: (engine) => [
    renderAddColumn(inodes.name, inodeLatestSnapshotColumn, engine),
    renderAddColumn(inodes.name, inodeSnapEpochColumn, engine),
    ...tablesV12.map((t) => renderCreateTable(t, engine)),
  ],
};
