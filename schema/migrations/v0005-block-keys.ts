import { renderCreateTable } from '../render-ddl';
import { tablesV5 } from '../tables-security';
import type { Migration } from './migration';

export const v0005BlockKeys: Migration = {
  version: 5,
  description: 'block access token keys, rolled by the leader',
  statements: (engine) => tablesV5.map((def) => renderCreateTable(def, engine)),
};
