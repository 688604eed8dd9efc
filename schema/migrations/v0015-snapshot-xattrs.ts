import { renderCreateTable } from '../render-ddl';
import { inodeVersionXAttrs } from '../tables-snapshots';
import type { Migration } from './migration';

/** The xattrs of inode versions (namenode/snapshot/README.md): getXAttrs through `.snapshot` answers them as they were. */
export const v0015SnapshotXAttrs: Migration = {
  version: 15,
  description: 'inode_version_xattrs: the xattr rows each inode version carries',
  statements: (engine) => [renderCreateTable(inodeVersionXAttrs, engine)],
};
