import type { BlockRef, Location } from './located-blocks';

/** What DatanodeProtocol carries, as the block manager takes it and a front door decodes it. */
export interface ReportedReplica {
  readonly blockId: number;
  readonly genStamp: number;
  readonly numBytes: number;
  readonly finalized: boolean;
}

/** blockReceivedAndDeleted's statuses (ReceivedDeletedBlockInfoProto.BlockStatus). */
export enum ReplicaEvent {
  Receiving = 1,
  Received = 2,
  Deleted = 3,
}

export interface ReplicaChange extends ReportedReplica {
  readonly storageId: string;
  readonly event: ReplicaEvent;
}

export type DatanodeCommand =
  | { readonly kind: 'register' }
  | { readonly kind: 'invalidate'; readonly blocks: readonly BlockRef[] }
  | { readonly kind: 'transfer'; readonly block: BlockRef; readonly targets: readonly Location[] }
  /**
   * Finalize the local unfinished replica of `block` at `newGenStamp` and report it (nnfleet's block recovery);
   * with `newBlockId`, copy its first `truncateTo` bytes into that new block instead (copy-on-truncate).
   */
  | { readonly kind: 'recover'; readonly block: BlockRef; readonly newGenStamp: number; readonly holders: readonly Location[]; readonly truncateTo?: number; readonly newBlockId?: number };
