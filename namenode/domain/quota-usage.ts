/** ClientProtocol.getQuotaUsage's answer. Quotas are not kept yet: both are -1 (none), as HDFS answers for a directory without one. */
export interface QuotaUsage {
  readonly fileAndDirectoryCount: number;
  readonly quota: number;
  readonly spaceConsumed: number;
  readonly spaceQuota: number;
}
