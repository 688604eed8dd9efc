import { renderReplaceIndex } from '../render-ddl';
import { changeLog, changeLogOrderIndex } from '../tables-change-log';
import type { Migration } from './migration';

/** The sequencer's read in index order: change_log_order (position, epoch, stamp) in place of change_log_position (position, epoch). */
export const v0018ChangeLogOrder: Migration = {
  version: 18,
  description: 'change_log_order: the sequencer reads unsequenced rows in (epoch, stamp, txn_id) order from the index, no sort',
  statements: (engine) => [renderReplaceIndex(changeLog.name, changeLogOrderIndex, 'change_log_position', engine)],
};
