import type { NamesystemConfig } from '../namesystem-config';
import type { IdAllocator } from '../tx/id-allocator';
import type { TransactionRunner } from '../tx/transaction-runner';

/** What every operation is given: the transaction runner, id ranges, settings. */
export interface OpContext {
  readonly runner: TransactionRunner;
  readonly inodeIds: IdAllocator;
  readonly config: NamesystemConfig;
}
