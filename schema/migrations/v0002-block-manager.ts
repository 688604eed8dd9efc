import { renderCreateTable } from '../render-ddl';
import { tablesV2 } from '../tables-blocks';
import type { Migration } from './migration';

export const v0002BlockManager: Migration = {
  version: 2,
  description: 'block manager, datanodes and namenode fleet tables',
  statements: (engine) => tablesV2.map((def) => renderCreateTable(def, engine)),
};
