import type { Mutation, Query } from './query';

export interface QueuedBlock {
  readonly blockId: number;
  readonly inodeId: number;
}

export interface BlockQueueSizes {
  readonly underReplicated: number;
  readonly pendingDeletion: number;
}

/** `under_replicated`: blocks the replication monitor must look at. */
export interface ReplicationQueueRepository {
  enqueue(blockId: number, inodeId: number, now: number): Mutation;
  /** A file's replication changed or it closed short of copies: all its blocks. */
  enqueueFile(inodeId: number, now: number): Mutation;
  /** Entries not scheduled since `scheduledBefore` and queued before `queuedBefore`, oldest first. */
  findDue(limit: number, scheduledBefore: number, queuedBefore: number): Query<QueuedBlock[]>;
  markScheduled(blockId: number, now: number): Mutation;
  /** A new copy may settle a queued block: the next round looks at it at once. */
  recheck(blockIds: readonly number[]): Mutation;
  remove(blockId: number): Mutation;
  /** concat: queued blocks of a file now belong to another. */
  moveToInode(fromInodeId: number, toInodeId: number): Mutation;
  countSizes(): Query<BlockQueueSizes>;
}
