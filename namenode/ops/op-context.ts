import type { NamespaceIdentity } from '../../schema/namespace-rows';
import type { SqlSession } from '../dal/sql-session';
import type { NamesystemConfig } from '../namesystem-config';
import type { IdAllocator } from '../tx/id-allocator';
import type { TransactionRunner } from '../tx/transaction-runner';

/** What every operation is given: the transaction runner, id ranges, settings. */
export interface OpContext {
  readonly runner: TransactionRunner;
  readonly inodeIds: IdAllocator;
  readonly blockIds: IdAllocator;
  /** The side channel: counter reservations only (generation stamps, block lookups by id). */
  readonly db: SqlSession;
  readonly config: NamesystemConfig;
  /** The namespace's identity, read once from namespace_info. */
  namespace(): Promise<NamespaceIdentity>;
}
