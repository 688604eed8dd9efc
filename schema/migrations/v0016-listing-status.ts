import { renderAddColumn } from '../render-ddl';
import { inodeStatusColumns, inodes } from '../tables';
import type { Migration } from './migration';

/** Each inode's status bytes around its mtime, for listings; NULL (read the full row) for every existing inode. */
export const v0016ListingStatus: Migration = {
  version: 16,
  description: 'inodes.status_head, status_tail: the status bytes a listing copies',
  statements: (engine) => inodeStatusColumns.map((c) => renderAddColumn(inodes.name, c, engine)),
};
