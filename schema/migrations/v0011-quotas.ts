import { renderAddColumn, renderCreateTable } from '../render-ddl';
import { inodes } from '../tables';
import { inodeHasQuotaColumn, tablesV11 } from '../tables-quotas';
import type { Migration } from './migration';

/**
 * Quotas: the flag on the directory's row, the limits, and the striped usage counters. No directory has a quota yet.
 * Version 11, after the subtree operations' v0010.
 */
export const v0011Quotas: Migration = {
  version: 11,
  description: 'quotas: inodes.has_quota, quota_limits, quota_usage (setQuota, getQuotaUsage, NSQuotaExceeded/DSQuotaExceeded)',
  statements: (engine) => [renderAddColumn(inodes.name, inodeHasQuotaColumn, engine), ...tablesV11.map((t) => renderCreateTable(t, engine))],
};
