import type { UsageStripeRow } from '../dal/quota-repository';
import { dimOrder, quotaExceededMessage, type QuotaDim, type UsageDelta } from '../domain/quota';
import { NamesystemError } from '../errors';
import type { WriteContext } from '../tx/tx-contexts';

/**
 * Usage rows per dimension of a quota directory. Fixed: the fast path picks
 * a stripe in [0, QUOTA_STRIPES) without reading, so every quota directory
 * has exactly these rows (setQuota writes them).
 */
export const QUOTA_STRIPES = 8;

/** avail of a dimension without a limit. */
export const UNLIMITED_AVAIL = -1;

/** A directory with a quota on the way to what an operation changes, and its path (for the exception). */
export interface QuotaDir {
  readonly id: number;
  readonly path: string;
}

interface DirState {
  readonly limits: Map<QuotaDim, number>;
  /** By dim, the stripes in stripe order. */
  readonly stripes: Map<QuotaDim, UsageStripeRow[]>;
}

/** What an exact attempt has read and changed so far, per transaction (several charges of one transaction see each other). */
const exactStates = new WeakMap<object, Map<number, DirState>>();

const nonZero = (delta: UsageDelta): Map<QuotaDim, number> => new Map([...delta].filter(([, n]) => n !== 0));

/**
 * Applies a change of usage to every quota directory in `dirs` (deepest
 * first, as HDFS's FSDirectory.verifyQuota walks them), refusing a positive
 * change that would take one past its quota with HDFS's exception.
 *
 * Fast path (the usual one): one guarded statement on one stripe of each
 * directory, sent with COMMIT — no read, no extra round trip; the stripe's
 * allowance covers the change or the statement fails and the call runs
 * again exact. Exact path: every stripe and limit of the directories
 * locked, the usage summed and checked, the freed allowance dealt out to
 * the stripes again.
 *
 * This is the entry point for every operation that moves usage, the
 * subtree operations' phased deletes and renames included: pass the quota
 * directories above the changed inodes and the change (negative for what
 * goes).
 */
export async function applyUsageDelta(tx: WriteContext, dirs: readonly QuotaDir[], delta: UsageDelta): Promise<void> {
  const change = nonZero(delta);
  if (dirs.length === 0 || change.size === 0) return;
  if (!tx.exact) {
    const stripe = Math.floor(Math.random() * QUOTA_STRIPES);
    tx.changes.addCounter(tx.dal.quotas.chargeStripe(dirs.map((d) => d.id), stripe, change));
    return;
  }
  const states = await lockedStates(tx, dirs);
  for (const dir of dirs) checkDir(dir, states.get(dir.id) as DirState, change);
  const written: UsageStripeRow[] = [];
  for (const dir of dirs) written.push(...applyToDir(states.get(dir.id) as DirState, change));
  if (written.length > 0) tx.changes.addCounter(tx.dal.quotas.upsertStripesBatched(written));
}

async function lockedStates(tx: WriteContext, dirs: readonly QuotaDir[]): Promise<Map<number, DirState>> {
  let states = exactStates.get(tx.changes);
  if (!states) {
    states = new Map();
    exactStates.set(tx.changes, states);
  }
  const missing = [...new Set(dirs.map((d) => d.id))].filter((id) => !states.has(id)).sort((a, b) => a - b);
  if (missing.length > 0) {
    const { quotas } = tx.dal;
    const [limits, stripes] = await tx.runAll([quotas.findLimitsByDirsBatched(missing, 'exclusive'), quotas.findStripesByDirsBatched(missing, 'exclusive')]);
    for (const id of missing) states.set(id, { limits: new Map(), stripes: new Map() });
    for (const l of limits) states.get(l.dirId)?.limits.set(l.dim, l.quota);
    for (const s of stripes) {
      const st = states.get(s.dirId)?.stripes;
      if (st) st.set(s.dim, [...(st.get(s.dim) ?? []), s]);
    }
  }
  return states;
}

const usedOf = (rows: readonly UsageStripeRow[] | undefined): number => (rows ?? []).reduce((n, r) => n + r.used, 0);

function checkDir(dir: QuotaDir, state: DirState, change: ReadonlyMap<QuotaDim, number>): void {
  for (const dim of [...change.keys()].sort(dimOrder)) {
    const n = change.get(dim) as number;
    const quota = state.limits.get(dim);
    if (quota === undefined || n <= 0) continue;
    const used = usedOf(state.stripes.get(dim));
    if (used + n > quota) {
      const { kind, message } = quotaExceededMessage(dim, dir.path, quota, used + n);
      throw new NamesystemError(kind, message);
    }
  }
}

/** The change lands on stripe 0; a limited dimension's remaining allowance is dealt out evenly again. */
function applyToDir(state: DirState, change: ReadonlyMap<QuotaDim, number>): UsageStripeRow[] {
  const out: UsageStripeRow[] = [];
  for (const [dim, n] of change) {
    const rows = state.stripes.get(dim);
    if (!rows || rows.length === 0) continue;
    const quota = state.limits.get(dim);
    const after = rows.map((r, i) => (i === 0 ? { ...r, used: r.used + n } : r));
    const dealt = quota === undefined ? after : dealAllowance(after, quota);
    state.stripes.set(dim, dealt);
    out.push(...dealt);
  }
  return out;
}

/** Sets the stripes' allowances so that they sum to what the quota leaves (never below zero). */
export function dealAllowance(rows: readonly UsageStripeRow[], quota: number): UsageStripeRow[] {
  const free = Math.max(0, quota - usedOf(rows));
  const share = Math.floor(free / rows.length);
  return rows.map((r, i) => ({ ...r, avail: share + (i === 0 ? free - share * rows.length : 0) }));
}
