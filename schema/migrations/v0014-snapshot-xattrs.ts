import { renderCreateTable } from '../render-ddl';
import { inodeVersionXAttrs } from '../tables-snapshots';
import type { Migration } from './migration';

/** The xattrs of inode versions (namenode/snapshot/README.md): getXAttrs through `.snapshot` answers them as they were. */
export const v0014SnapshotXAttrs: Migration = {
  version: 14,
  description: 'inode_version_xattrs: the xattr rows each inode version carries',
  statements: (engine) => [renderCreateTable(inodeVersionXAttrs, engine)],
};
