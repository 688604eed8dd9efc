import type { RetryKey } from '../domain/retry-key';
import type { Mutation, Query } from './query';

export interface RetryEntry {
  readonly method: string;
  readonly response: string | undefined;
}

/** `retry_cache`: the at-most-once record of non-idempotent calls. */
export interface RetryCacheRepository {
  /**
   * Claims the call inside the operation's transaction. A concurrent retry
   * of the same call waits on this row and then fails with a duplicate key
   * (DbErrorClass 'duplicate'): its cue to read the first one's answer.
   */
  claim(k: RetryKey, expiresAt: number): Query<void>;
  /** `claim` of several calls in one statement (a group commit's members): all or none (a duplicate fails them all). */
  claimBatched(keys: readonly RetryKey[], expiresAt: number): Query<void>;
  /** The call's answer on its claimed row (`expiresAt` as claimed). */
  recordResponse(k: RetryKey, response: string, expiresAt: number): Mutation;
  /** Takes back a claim made in a transaction that commits without the call (a group commit's failed member). */
  release(k: RetryKey): Mutation;
  /** The entry of a call id: its method and committed response (undefined while uncommitted or rolled back), or undefined. */
  findEntry(k: RetryKey): Query<RetryEntry | undefined>;
  deleteExpired(now: number, limit: number): Mutation;
}
