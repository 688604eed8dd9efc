import { renderAddColumn } from '../render-ddl';
import { inodeAclColumn, inodes } from '../tables';
import type { Migration } from './migration';

/** HDFS ACLs: the extended entries on the inode row; NULL (no ACL) for every existing inode. */
export const v0008Acls: Migration = {
  version: 8,
  description: 'inodes.acl: extended ACL entries (setfacl/getfacl, dfs.namenode.acls.enabled)',
  statements: (engine) => [renderAddColumn(inodes.name, inodeAclColumn, engine)],
};
