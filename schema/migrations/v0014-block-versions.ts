import { renderCreateTable } from '../render-ddl';
import { blockVersions } from '../tables-snapshots';
import type { Migration } from './migration';

/** Copy-on-truncate under snapshots (namenode/snapshot/README.md, "Blocks"): the blocks a snapshot keeps after a truncate. */
export const v0014BlockVersions: Migration = {
  version: 14,
  description: 'snapshots: block_versions (blocks a snapshot keeps after a truncate)',
  statements: (engine) => [renderCreateTable(blockVersions, engine)],
};
