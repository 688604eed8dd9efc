/** du -s of a subtree. nnfleet keeps no quotas, so both quotas are -1 (none). */
export interface ContentSummary {
  readonly length: number;
  readonly fileCount: number;
  readonly directoryCount: number;
  readonly quota: number;
  readonly spaceConsumed: number;
  readonly spaceQuota: number;
}
