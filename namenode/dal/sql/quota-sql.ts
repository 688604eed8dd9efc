import type { QuotaLimitRow, QuotaRepository, UsageStripeRow } from '../quota-repository';
import { sqlMutation, sqlQuery } from '../query';
import type { SqlParam } from './sql-session';
import { num, placeholders, rowsWith } from './sql-values';

const lockClause = (lock: 'none' | 'exclusive'): string => (lock === 'exclusive' ? ' FOR UPDATE' : '');

const toLimit = rowsWith((r): QuotaLimitRow => ({ dirId: num(r['dir_id']), dim: num(r['dim']), quota: num(r['quota']) }));
const toStripe = rowsWith(
  (r): UsageStripeRow => ({ dirId: num(r['dir_id']), dim: num(r['dim']), stripe: num(r['stripe']), used: num(r['used']), avail: num(r['avail']) }),
);

export const sqlQuotas: QuotaRepository = {
  findLimitsByDirsBatched: (dirIds, lock) =>
    sqlQuery({ sql: `SELECT dir_id, dim, quota FROM quota_limits WHERE dir_id IN (${placeholders(dirIds.length)}) ORDER BY dir_id, dim${lockClause(lock)}`, params: [...dirIds] }, toLimit),

  findStripesByDirsBatched: (dirIds, lock) =>
    sqlQuery(
      {
        sql: `SELECT dir_id, dim, stripe, used, avail FROM quota_usage WHERE dir_id IN (${placeholders(dirIds.length)}) ORDER BY dir_id, dim, stripe${lockClause(lock)}`,
        params: [...dirIds],
      },
      toStripe,
    ),

  // avail < 0 marks a dimension without a limit. A positive change takes the stripe's allowance
  // down, or sets NULL into a NOT NULL column when there is not enough: the statement fails, the
  // transaction rolls back, and the caller runs again on the exact path. A negative change gives
  // nothing back to the stripe (the slow path hands freed space out again), so the allowances
  // never sum to more than the quota leaves.
  chargeStripe: (dirIds, stripe, delta) => {
    const dims = [...delta.keys()];
    const grows = dims.filter((d) => (delta.get(d) as number) > 0);
    const params: SqlParam[] = [];
    const availCases = grows.map((d) => {
      const n = delta.get(d) as number;
      params.push(d, n, n);
      return 'WHEN dim = ? THEN IF(avail >= ?, avail - ?, NULL)';
    });
    const avail = grows.length > 0 ? `avail = CASE WHEN avail < 0 THEN avail ${availCases.join(' ')} ELSE avail END, ` : '';
    const usedCases = dims.map((d) => {
      params.push(d, delta.get(d) as number);
      return 'WHEN ? THEN ?';
    });
    params.push(...dirIds, stripe, ...dims);
    return sqlMutation({
      sql: `UPDATE quota_usage SET ${avail}used = used + CASE dim ${usedCases.join(' ')} ELSE 0 END WHERE dir_id IN (${placeholders(dirIds.length)}) AND stripe = ? AND dim IN (${placeholders(dims.length)})`,
      params,
    });
  },

  upsertStripesBatched: (rows: readonly UsageStripeRow[]) =>
    sqlMutation({
      sql: `INSERT INTO quota_usage (dir_id, dim, stripe, used, avail) VALUES ${rows.map(() => '(?,?,?,?,?)').join(',')} ON DUPLICATE KEY UPDATE used = VALUES(used), avail = VALUES(avail)`,
      params: rows.flatMap((r) => [r.dirId, r.dim, r.stripe, r.used, r.avail]),
    }),

  upsertLimitsBatched: (rows) =>
    sqlMutation({
      sql: `INSERT INTO quota_limits (dir_id, dim, quota) VALUES ${rows.map(() => '(?,?,?)').join(',')} ON DUPLICATE KEY UPDATE quota = VALUES(quota)`,
      params: rows.flatMap((r) => [r.dirId, r.dim, r.quota]),
    }),

  deleteLimitsByDir: (dirId) => sqlMutation({ sql: 'DELETE FROM quota_limits WHERE dir_id = ?', params: [dirId] }),
  deleteStripesByDir: (dirId) => sqlMutation({ sql: 'DELETE FROM quota_usage WHERE dir_id = ?', params: [dirId] }),
};
