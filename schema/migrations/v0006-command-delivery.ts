import { quoteIdent, renderCreateTable } from '../render-ddl';
import { commandTargets, datanodeCommandsV6 } from '../tables-commands';
import type { Migration } from './migration';

/**
 * Commands kept until confirmed, with their targets as rows. Pending
 * commands are soft state, so the old table is dropped rather than altered
 * (NDB has no ADD COLUMN IF NOT EXISTS, and dropping keeps a re-run safe):
 * the leader schedules transfers again, full reports bring invalidations
 * back, and a recovery with no command left is ordered again.
 */
export const v0006CommandDelivery: Migration = {
  version: 6,
  description: 'datanode commands kept until confirmed; command targets as rows',
  statements: (engine) => [
    `DROP TABLE IF EXISTS ${quoteIdent(datanodeCommandsV6.name)}`,
    renderCreateTable(datanodeCommandsV6, engine),
    renderCreateTable(commandTargets, engine),
  ],
};
