import type { QuotaDim } from '../domain/quota';
import type { Mutation, Query } from './query';

/** A limit of one dimension of a quota directory (`quota_limits`). */
export interface QuotaLimitRow {
  readonly dirId: number;
  readonly dim: QuotaDim;
  readonly quota: number;
}

/** One stripe of one dimension of a quota directory's usage (`quota_usage`). */
export interface UsageStripeRow {
  readonly dirId: number;
  readonly dim: QuotaDim;
  readonly stripe: number;
  readonly used: number;
  readonly avail: number;
}

/**
 * `quota_limits` and `quota_usage`. `chargeStripe` is the fast path: one
 * statement, sent with COMMIT, that moves one stripe of every dimension of
 * several quota directories and fails (ER_BAD_NULL_ERROR, see
 * `db-errors.ts`'s 'guard') when a positive change would take a stripe's
 * allowance below zero. Nothing is read first.
 */
export interface QuotaRepository {
  findLimitsByDirsBatched(dirIds: readonly number[], lock: 'none' | 'exclusive'): Query<QuotaLimitRow[]>;
  /** Every stripe of every dimension of the directories, in key order (the slow path locks them all). */
  findStripesByDirsBatched(dirIds: readonly number[], lock: 'none' | 'exclusive'): Query<UsageStripeRow[]>;
  chargeStripe(dirIds: readonly number[], stripe: number, delta: ReadonlyMap<QuotaDim, number>): Mutation;
  /** Sets rows as given (inserting the missing ones). */
  upsertStripesBatched(rows: readonly UsageStripeRow[]): Mutation;
  upsertLimitsBatched(rows: readonly QuotaLimitRow[]): Mutation;
  deleteLimitsByDir(dirId: number): Mutation;
  deleteStripesByDir(dirId: number): Mutation;
}
