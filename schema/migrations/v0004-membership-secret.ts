import { renderCreateTable } from '../render-ddl';
import { tablesV4 } from '../tables-security';
import type { Migration } from './migration';

/** The secret row itself is made by format (ensureMembershipSecret), which runs after every migration. */
export const v0004MembershipSecret: Migration = {
  version: 4,
  description: 'fleet membership secret that datanodes prove they hold',
  statements: (engine) => tablesV4.map((def) => renderCreateTable(def, engine)),
};
