import type { TypeQuotaInfo } from './quota-usage';

/** du -s of a subtree, with the quotas of its root (-1: none). */
export interface ContentSummary {
  readonly length: number;
  readonly fileCount: number;
  readonly directoryCount: number;
  readonly quota: number;
  readonly spaceConsumed: number;
  readonly spaceQuota: number;
  readonly typeQuotaInfos?: readonly TypeQuotaInfo[];
}
