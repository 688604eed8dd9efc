import { renderAddColumn, renderCreateTable } from '../render-ddl';
import { inodes } from '../tables';
import { inodeHasQuotaColumn, tablesV11 } from '../tables-quotas';
import type { Migration } from './migration';

/**
 * Quotas: the flag on the directory's row, the limits, and the striped usage counters. No directory has a quota yet.
 * Numbered v0011 to follow the subtree operations' v0010 at merge; versions must run 1, 2, 3…, so on its own
 * branch it is version 10 (make it 11 once v0010 is in).
 */
export const v0011Quotas: Migration = {
  version: 10,
  description: 'quotas: inodes.has_quota, quota_limits, quota_usage (setQuota, getQuotaUsage, NSQuotaExceeded/DSQuotaExceeded)',
  statements: (engine) => [renderAddColumn(inodes.name, inodeHasQuotaColumn, engine), ...tablesV11.map((t) => renderCreateTable(t, engine))],
};
