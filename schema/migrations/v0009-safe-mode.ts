import { renderAddColumn } from '../render-ddl';
import { namespaceInfo, safeModeColumn } from '../tables';
import type { Migration } from './migration';

/** The fleet's safe mode as one column of the one namespace_info row: NULL (off) for every existing namespace. */
export const v0009SafeMode: Migration = {
  version: 9,
  description: 'namespace_info.safe_mode_entered_at: the fleet-wide safe mode (ClientProtocol.setSafeMode)',
  statements: (engine) => [renderAddColumn(namespaceInfo.name, safeModeColumn, engine)],
};
