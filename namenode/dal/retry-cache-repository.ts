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
  /** The call's answer on its claimed row (`expiresAt` as claimed). */
  recordResponse(k: RetryKey, response: string, expiresAt: number): Mutation;
  /**
   * The call's row with its answer, claimed by nothing before (a group
   * commit's member): a plain INSERT, so a row of an earlier or concurrent
   * attempt of the same call fails the transaction with a duplicate key.
   */
  record(k: RetryKey, response: string, expiresAt: number): Mutation;
  /** The entry of a call id: its method and committed response (undefined while uncommitted or rolled back), or undefined. */
  findEntry(k: RetryKey): Query<RetryEntry | undefined>;
  deleteExpired(now: number, limit: number): Mutation;
}
