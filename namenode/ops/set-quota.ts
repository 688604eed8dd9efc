import { isDirectory, type InodeRow } from '../dal/inode-row';
import type { QuotaLimitRow, UsageStripeRow } from '../dal/quota-repository';
import { NAMESPACE_DIM, QUOTA_DONT_SET, QUOTA_RESET, STORAGESPACE_DIM, typeDim, type QuotaDim } from '../domain/quota';
import type { StorageType } from '../domain/storage';
import { fileNotFound, illegalArgument, NamesystemError } from '../errors';
import { parsePath } from '../path/hdfs-path';
import { policyUnder } from '../quota/file-charge';
import { usageOfRows } from '../quota/subtree-usage';
import { walkSubtree } from './subtree';
import { dealAllowance, QUOTA_STRIPES, UNLIMITED_AVAIL } from '../quota/usage-ledger';
import type { Caller } from '../security/caller';
import { checkTraverse } from '../security/permission-checker';
import { requireSuperuser } from '../security/superuser';
import type { OpContext } from '../tx/op-context';
import { prefixText } from '../tx/path-resolver';

/** ClientProtocol.setQuota: values as the wire's signed 64-bit longs. */
export interface SetQuotaRequest {
  readonly path: string;
  readonly namespaceQuota: bigint;
  readonly storagespaceQuota: bigint;
  readonly storageType?: StorageType | undefined;
}

const isLegal = (q: bigint) => q >= 0n || q === QUOTA_DONT_SET || q === BigInt(QUOTA_RESET);

function asNumber(q: bigint): number {
  if (q > BigInt(Number.MAX_SAFE_INTEGER)) throw illegalArgument(`Quota ${q} is larger than nnfleet keeps (2^53 - 1)`);
  return Number(q);
}

/** The new value of one quota: DONT_SET keeps the old (-1 when none), RESET clears. */
const next = (requested: bigint, old: number): number => (requested === QUOTA_DONT_SET ? old : asNumber(requested));

/**
 * FSDirAttrOp.setQuota: the superuser sets or clears the namespace and
 * storage-space quotas of a directory, or one storage type's quota. A
 * directory that gains its first quota has its usage counted (the subtree
 * walked under its exclusive lock: every writer below share-locks it);
 * one that loses its last stops counting. Every quota directory keeps
 * QUOTA_STRIPES usage rows per counted dimension (see usage-ledger.ts).
 */
export async function setQuota(ctx: OpContext, caller: Caller, req: SetQuotaRequest): Promise<void> {
  requireSuperuser(caller);
  const { namespaceQuota: ns, storagespaceQuota: ss, storageType } = req;
  if (!isLegal(ns) || !isLegal(ss)) throw new NamesystemError('JavaIllegalArgument', `Illegal value for nsQuota or ssQuota : ${ns} and ${ss}`);
  if (storageType !== undefined && ns !== QUOTA_DONT_SET) {
    throw new NamesystemError(
      'UnsupportedAction',
      `Failed to set quota by storage type because eitherdfs.quota.by.storage.type.enabled is set to true or nsQuota value is illegal ${ns}`,
    );
  }
  const path = parsePath(req.path);
  if (path.components.length === 0 && ns === BigInt(QUOTA_RESET)) throw new NamesystemError('JavaIllegalArgument', 'Cannot clear namespace quota on root.');
  await ctx.runner.write('setQuota', [{ path, parent: 'shared', target: 'exclusive' }], async ([lp], tx) => {
    if (!lp) throw new Error('unreachable');
    checkTraverse(caller, lp.rows, path.components.length, (d) => prefixText(path, d));
    const dir = lp.target;
    if (!dir) throw fileNotFound(`Directory does not exist: ${path.text}`);
    if (!isDirectory(dir)) throw new NamesystemError('PathIsNotDirectory', `\`${path.text}': Is not a directory`);
    const { quotas } = tx.dal;
    // Writes to files directly in the directory (addBlock, complete…) lock the file but not the
    // directory: locking its children waits them out, and they read its quota flag after their lock.
    await tx.run(tx.dal.inodes.lockChildrenByParent(dir.id));
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
      if (dir.hasQuota) tx.changes.add(tx.dal.inodes.setHasQuota(dir.id, false));
      return;
    }
    const counted = [NAMESPACE_DIM, STORAGESPACE_DIM, ...[...wanted.keys()].filter((d) => d !== NAMESPACE_DIM && d !== STORAGESPACE_DIM)];
    const tracked = new Map<QuotaDim, number>();
    for (const s of oldStripes) tracked.set(s.dim, (tracked.get(s.dim) ?? 0) + s.used);
    // What is already counted stays; a dimension not counted yet needs the subtree walked.
    let usage = tracked;
    if (!counted.every((d) => tracked.has(d))) {
      // The walk getContentSummary makes (the subtree operations make it phased for big trees).
      const rows: InodeRow[] = [dir];
      await walkSubtree(dir, tx, (level) => rows.push(...level));
      usage = await usageOfRows(tx, rows, policyUnder(lp.rows));
    }
    const rows: UsageStripeRow[] = [];
    for (const dim of counted) {
      const stripes = Array.from({ length: QUOTA_STRIPES }, (_, stripe): UsageStripeRow => ({ dirId: dir.id, dim, stripe, used: stripe === 0 ? usage.get(dim) ?? 0 : 0, avail: UNLIMITED_AVAIL }));
      const quota = wanted.get(dim);
      rows.push(...(quota === undefined ? stripes : dealAllowance(stripes, quota)));
    }
    tx.changes.add(quotas.upsertLimitsBatched([...wanted].map(([dim, quota]) => ({ dirId: dir.id, dim, quota }))), quotas.upsertStripesBatched(rows));
    if (!dir.hasQuota) tx.changes.add(tx.dal.inodes.setHasQuota(dir.id, true));
  });
}
