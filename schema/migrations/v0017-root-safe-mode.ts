import { renderAddColumn } from '../render-ddl';
import { inodes, ROOT_PARENT_ID, rootSafeModeColumn } from '../tables';
import type { Migration } from './migration';

/**
 * The fleet's safe mode moves from namespace_info to the root inode's row
 * (schema/tables.ts, rootSafeModeColumn), carrying its state over. The copy
 * reads the old column, which stays, so it runs again harmlessly.
 */
export const v0017RootSafeMode: Migration = {
  version: 17,
  description: 'inodes.safe_mode_entered_at on the root row: the fleet-wide safe mode, read by the lock round trip with the root',
  statements: (engine) => [
    renderAddColumn(inodes.name, rootSafeModeColumn, engine),
    `UPDATE inodes r JOIN namespace_info n ON n.id = 1 SET r.safe_mode_entered_at = n.safe_mode_entered_at WHERE r.parent_id = ${ROOT_PARENT_ID} AND r.name = ''`,
  ],
};
