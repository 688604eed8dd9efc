import type { QuotaLimitRow, QuotaRepository, UsageStripeRow } from '../../namenode/dal/quota-repository';
import { deleteWhere, inList, localMutation, localQuery, upsertRow } from './local-statements';
import { guardTripped } from './memory-inodes';
import type { MemoryTables } from './memory-tables';

const keyOrder = (a: UsageStripeRow, b: UsageStripeRow) => a.dirId - b.dirId || a.dim - b.dim || a.stripe - b.stripe;

/** quota_limits and quota_usage in memory, the guard of chargeStripe included. */
export function memoryQuotas(t: MemoryTables): QuotaRepository {
  const { quotaLimits: limits, quotaUsage: usage } = t;
  return {
    findLimitsByDirsBatched: (dirIds) =>
      localQuery(() => {
        const wanted = inList(dirIds, 'quota_limits.findLimitsByDirsBatched');
        return limits.rows().filter((l) => wanted.has(l.dirId)).sort((a, b) => a.dirId - b.dirId || a.dim - b.dim);
      }),
    findStripesByDirsBatched: (dirIds) =>
      localQuery(() => {
        const wanted = inList(dirIds, 'quota_usage.findStripesByDirsBatched');
        return usage.rows().filter((s) => wanted.has(s.dirId)).sort(keyOrder);
      }),
    chargeStripe: (dirIds, stripe, delta) =>
      localMutation((log) => {
        const dirs = inList(dirIds, 'quota_usage.chargeStripe');
        const hit = usage.rows().filter((s) => dirs.has(s.dirId) && s.stripe === stripe && delta.has(s.dim));
        for (const s of hit) {
          const n = delta.get(s.dim) as number;
          if (n > 0 && s.avail >= 0 && s.avail < n) throw guardTripped('avail');
          const avail = n > 0 && s.avail >= 0 ? s.avail - n : s.avail;
          log.add(usage.replace(usage.keyOf(s), { ...s, used: s.used + n, avail }) as () => void);
        }
        return hit.length;
      }),
    upsertStripesBatched: (rows) => localMutation((log) => rows.reduce((n, r) => n + upsertRow(usage, { ...r }, () => ({ ...r }), log), 0)),
    upsertLimitsBatched: (rows: readonly QuotaLimitRow[]) => localMutation((log) => rows.reduce((n, r) => n + upsertRow(limits, { ...r }, () => ({ ...r }), log), 0)),
    deleteLimitsByDir: (dirId) => localMutation((log) => deleteWhere(limits, (l) => l.dirId === dirId, log)),
    deleteStripesByDir: (dirId) => localMutation((log) => deleteWhere(usage, (s) => s.dirId === dirId, log)),
  };
}
