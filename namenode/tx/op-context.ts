import type { NamespaceIdentity } from '../../schema/namespace-rows';
import type { Repositories } from '../dal/repositories';
import type { NamesystemConfig } from '../namesystem-config';
import type { FleetMembership } from './fleet-membership';
import type { ReplicaWaiters } from './replica-waiters';
import type { BlockOwners } from './block-owners';
import type { IdAllocator } from './id-allocator';
import type { TransactionRunner } from './transaction-runner';
import type { BatchedRead, ChildPageRequest, FileBlockRows, FileBlocksRequest } from './batched-reads';
import type { InodeRow } from '../dal/inode-row';
import type { StoredStatus } from '../dal/inode-repository';

/** What every operation, block manager duty and leader duty is given. */
export interface OpContext {
  readonly runner: TransactionRunner;
  readonly dal: Repositories;
  readonly inodeIds: IdAllocator;
  readonly blockIds: IdAllocator;
  /**
   * Without `above`, a new block's stamp from a prefetched range (unique, no round trip); with it,
   * a stamp above `above` and above every stamp handed out so far, from the counter row, committed
   * on its own (the counters' side channel).
   */
  nextGenerationStamp(above?: number): Promise<number>;
  readonly config: NamesystemConfig;
  /** complete/addBlock calls waiting for replica reports this namenode receives. */
  readonly replicaWaiters: ReplicaWaiters;
  /** The files of blocks this namenode allocated lately (a replica report's lock hint). */
  readonly blockOwners: BlockOwners;
  /** Leader election's membership: owner of this namenode's subtree locks, and whose locks are live. */
  readonly membership: FleetMembership;
  /** getBlockLocations' block rows and getListing's pages, coalesced across concurrent calls. */
  readonly fileBlockReads: BatchedRead<FileBlocksRequest, FileBlockRows>;
  readonly childPageReads: BatchedRead<ChildPageRequest, InodeRow[]>;
  /** The same pages as the children's stored status bytes; absent with a coherent cache (its pages are rows). */
  readonly childStatusReads?: BatchedRead<ChildPageRequest, StoredStatus[]> | undefined;
  /** The namespace's identity, read once from namespace_info. */
  namespace(): Promise<NamespaceIdentity>;
}
