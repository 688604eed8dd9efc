import type { StorageType } from './storage';

/** One storage type's quota and usage (StorageTypeQuotaInfoProto). */
export interface TypeQuotaInfo {
  readonly type: StorageType;
  /** -1: none. */
  readonly quota: number;
  readonly consumed: number;
}

/**
 * ClientProtocol.getQuotaUsage's answer: -1 for a quota not set, as HDFS
 * answers for a directory without one; the per-type entries only for the
 * types with a quota.
 */
export interface QuotaUsage {
  readonly fileAndDirectoryCount: number;
  readonly quota: number;
  readonly spaceConsumed: number;
  readonly spaceQuota: number;
  readonly typeQuotaInfos?: readonly TypeQuotaInfo[];
}
