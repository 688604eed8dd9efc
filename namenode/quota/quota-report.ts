import type { InodeRow } from '../dal/inode-row';
import type { QuotaLimitRow, UsageStripeRow } from '../dal/quota-repository';
import { dimType, NAMESPACE_DIM, STORAGESPACE_DIM, type QuotaDim } from '../domain/quota';
import type { QuotaUsage, TypeQuotaInfo } from '../domain/quota-usage';
import type { QueryRunner } from '../tx/tx-contexts';

/** A directory's quotas as ContentSummary and QuotaUsage carry them (-1: none). */
export interface QuotaFields {
  readonly quota: number;
  readonly spaceQuota: number;
  readonly typeQuotaInfos?: readonly TypeQuotaInfo[];
}

const NO_QUOTA: QuotaFields = { quota: -1, spaceQuota: -1 };

function fieldsOf(limits: readonly QuotaLimitRow[], used: ReadonlyMap<QuotaDim, number>): QuotaFields {
  const limit = new Map(limits.map((l) => [l.dim, l.quota]));
  const typeQuotaInfos = limits.flatMap((l) => {
    const type = dimType(l.dim);
    return type === undefined ? [] : [{ type, quota: l.quota, consumed: used.get(l.dim) ?? 0 }];
  });
  return { quota: limit.get(NAMESPACE_DIM) ?? -1, spaceQuota: limit.get(STORAGESPACE_DIM) ?? -1, ...(typeQuotaInfos.length > 0 ? { typeQuotaInfos } : {}) };
}

const sums = (stripes: readonly UsageStripeRow[]): Map<QuotaDim, number> => {
  const out = new Map<QuotaDim, number>();
  for (const s of stripes) out.set(s.dim, (out.get(s.dim) ?? 0) + s.used);
  return out;
};

/** The quotas of `dir` (none without the flag, at no cost). */
export async function quotaFieldsOf(db: QueryRunner, dir: InodeRow): Promise<QuotaFields> {
  if (!dir.hasQuota) return NO_QUOTA;
  const [limits, stripes] = await db.runAll([db.dal.quotas.findLimitsByDirsBatched([dir.id], 'none'), db.dal.quotas.findStripesByDirsBatched([dir.id], 'none')]);
  return fieldsOf(limits, sums(stripes));
}

/**
 * A quota directory's QuotaUsage from its counters: one read of its limits
 * and stripes (each a consistent statement), however big the tree.
 */
export async function countedQuotaUsage(db: QueryRunner, dir: InodeRow): Promise<QuotaUsage> {
  const [limits, stripes] = await db.runAll([db.dal.quotas.findLimitsByDirsBatched([dir.id], 'none'), db.dal.quotas.findStripesByDirsBatched([dir.id], 'none')]);
  const used = sums(stripes);
  return { fileAndDirectoryCount: used.get(NAMESPACE_DIM) ?? 0, spaceConsumed: used.get(STORAGESPACE_DIM) ?? 0, ...fieldsOf(limits, used) };
}
