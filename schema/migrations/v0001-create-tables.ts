import { renderCreateTable } from '../render-ddl';
import { tablesV1 } from '../tables';
import type { Migration } from './migration';

export const v0001CreateTables: Migration = {
  version: 1,
  description: 'create the namespace tables',
  statements: (engine) => tablesV1.map((def) => renderCreateTable(def, engine)),
};
