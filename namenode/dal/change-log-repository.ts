import type { ChangeEvent } from '../domain/change-event';
import type { Mutation, Query } from './query';

/** A change event as stored: its transaction, its place in it, and its position once sequenced. */
export interface StoredChange {
  readonly position: number;
  readonly txnId: number;
  readonly seq: number;
  readonly createdMs: number;
  readonly event: ChangeEvent;
}

/** The change log's clocks (change_log_clock). */
export interface ChangeLogClocks {
  /** The epoch writers now commit in; every epoch below it is closed. */
  readonly epoch: number;
  /** The last position handed out. */
  readonly head: number;
  /** Every position up to this one has been trimmed. */
  readonly trimmed: number;
}

/** `change_log` and `change_log_clock`: see namenode/changelog/README.md. */
export interface ChangeLogRepository {
  /**
   * One event of a committing transaction, sent last in its commit: it
   * share-locks the epoch row (held to COMMIT, so the sequencer's bump waits
   * for it) and stamps the row with the database's clock at that moment.
   */
  append(txnId: number, seq: number, event: ChangeEvent, nowMs: number): Mutation;
  findClocks(): Query<ChangeLogClocks>;
  /** Is any committed transaction still without a position? */
  hasUnsequenced(): Query<boolean>;
  /** Closes the current epoch (waits for the transactions committing in it). */
  bumpEpoch(): Mutation;
  /** The head, locked exclusively: one sequencing pass at a time, fleet-wide. */
  findHeadForUpdate(): Query<number>;
  /** Unsequenced transactions of closed epochs (below `epoch`), in commit order: epoch, then stamp, then id. */
  findUnsequencedBefore(epoch: number, limit: number): Query<number[]>;
  /** Positions `first`, `first + 1`… to these transactions in this order, in one statement (at least one). */
  assignPositions(txnIds: readonly number[], first: number): Mutation;
  setClock(name: 'head' | 'trimmed', value: number): Mutation;
  /** Events with positions in (after, upTo], by position then seq. */
  findByPositionRange(after: number, upTo: number): Query<StoredChange[]>;
  /** The last position written before `createdMs`, if any. */
  findLastPositionBefore(createdMs: number): Query<number | undefined>;
  /** Removes up to `limit` rows at or below `position`. */
  deleteUpTo(position: number, limit: number): Mutation;
}
