import { renderAddColumn } from '../render-ddl';
import { inodeChildrenColumn, inodes } from '../tables';
import type { Migration } from './migration';

/**
 * Each directory's child count, so max-directory-items is checked without a
 * count. The backfill is idempotent; the derived table is materialised, so
 * the UPDATE may read the table it updates.
 */
export const v0007DirectoryChildren: Migration = {
  version: 7,
  description: 'inodes.children: each directory\'s child count (dfs.namenode.fs-limits.max-directory-items)',
  statements: (engine) => [
    renderAddColumn(inodes.name, inodeChildrenColumn, engine),
    'UPDATE inodes p JOIN (SELECT parent_id, COUNT(*) AS n FROM inodes GROUP BY parent_id) c ON c.parent_id = p.id SET p.children = c.n',
  ],
};
