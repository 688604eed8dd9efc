import type { InodeRow } from '../dal/inode-row';
import type { QuotaLimitRow, UsageStripeRow } from '../dal/quota-repository';
import { NAMESPACE_DIM, QUOTA_DONT_SET, QUOTA_RESET, STORAGESPACE_DIM, typeDim, type QuotaDim } from '../domain/quota';
import type { StorageType } from '../domain/storage';
import { illegalArgument } from '../errors';
import { directoryTarget } from './resolve-target';
import { dealAllowance, QUOTA_STRIPES, UNLIMITED_AVAIL } from '../quota/usage-ledger';
import type { WriteContext } from '../tx/tx-contexts';

/** ClientProtocol.setQuota: values as the wire's signed 64-bit longs. */
export interface SetQuotaRequest {
  readonly path: string;
  readonly namespaceQuota: bigint;
  readonly storagespaceQuota: bigint;
  readonly storageType?: StorageType | undefined;
}

function asNumber(q: bigint): number {
  if (q > BigInt(Number.MAX_SAFE_INTEGER)) throw illegalArgument(`Quota ${q} is larger than nnfleet keeps (2^53 - 1)`);
  return Number(q);
}

/** The new value of one quota: DONT_SET keeps the old (-1 when none), RESET clears. */
const next = (requested: bigint, old: number): number => (requested === QUOTA_DONT_SET ? old : asNumber(requested));

/** What setQuota checks of its path in the transaction that locked it: traverse, a directory there. */
export const quotaTarget = directoryTarget;

/**
 * Writes `req`'s quotas on `dir` (locked exclusively): limits and usage
 * stripes replaced, the quota flag set or cleared. What is counted already
 * stays; a dimension not counted yet takes its usage from `count` (called
 * only then, inside this transaction).
 */
export async function writeQuota(tx: WriteContext, dir: InodeRow, req: SetQuotaRequest, count: () => Promise<ReadonlyMap<QuotaDim, number>>): Promise<void> {
  const { quotas } = tx.dal;
  const { namespaceQuota: ns, storagespaceQuota: ss, storageType } = req;
  const [oldLimits, oldStripes] = dir.hasQuota
    ? await tx.runAll([quotas.findLimitsByDirsBatched([dir.id], 'exclusive'), quotas.findStripesByDirsBatched([dir.id], 'exclusive')])
    : [[] as QuotaLimitRow[], [] as UsageStripeRow[]];
  const limits = new Map<QuotaDim, number>(oldLimits.map((l) => [l.dim, l.quota]));
  const old = (dim: QuotaDim) => limits.get(dim) ?? QUOTA_RESET;
  const wanted = new Map(limits);
  const put = (dim: QuotaDim, value: number) => (value < 0 ? wanted.delete(dim) : wanted.set(dim, value));
  if (storageType === undefined) {
    put(NAMESPACE_DIM, next(ns, old(NAMESPACE_DIM)));
    put(STORAGESPACE_DIM, next(ss, old(STORAGESPACE_DIM)));
  } else put(typeDim(storageType), next(ss, old(typeDim(storageType))));
  if (wanted.size === limits.size && [...wanted].every(([d, q]) => limits.get(d) === q)) return;
  tx.changes.add(quotas.deleteLimitsByDir(dir.id), quotas.deleteStripesByDir(dir.id));
  if (wanted.size === 0) {
    if (dir.hasQuota) tx.changes.add(tx.dal.inodes.setHasQuota(dir, false));
    return;
  }
  const counted = [NAMESPACE_DIM, STORAGESPACE_DIM, ...[...wanted.keys()].filter((d) => d !== NAMESPACE_DIM && d !== STORAGESPACE_DIM)];
  const tracked = new Map<QuotaDim, number>();
  for (const s of oldStripes) tracked.set(s.dim, (tracked.get(s.dim) ?? 0) + s.used);
  const usage = counted.every((d) => tracked.has(d)) ? tracked : await count();
  const rows: UsageStripeRow[] = [];
  for (const dim of counted) {
    const stripes = Array.from({ length: QUOTA_STRIPES }, (_, stripe): UsageStripeRow => ({ dirId: dir.id, dim, stripe, used: stripe === 0 ? usage.get(dim) ?? 0 : 0, avail: UNLIMITED_AVAIL }));
    const quota = wanted.get(dim);
    rows.push(...(quota === undefined ? stripes : dealAllowance(stripes, quota)));
  }
  tx.changes.add(quotas.upsertLimitsBatched([...wanted].map(([dim, quota]) => ({ dirId: dir.id, dim, quota }))), quotas.upsertStripesBatched(rows));
  if (!dir.hasQuota) tx.changes.add(tx.dal.inodes.setHasQuota(dir, true));
}
