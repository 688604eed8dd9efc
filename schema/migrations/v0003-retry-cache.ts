import { renderCreateTable } from '../render-ddl';
import { tablesV3 } from '../tables-fleet';
import type { Migration } from './migration';

export const v0003RetryCache: Migration = {
  version: 3,
  description: 'retry cache for at-most-once calls across namenodes',
  statements: (engine) => tablesV3.map((def) => renderCreateTable(def, engine)),
};
