import type { ChildPage } from '../dal/inode-repository';
import type { PipelineLocation } from '../dal/pipeline-repository';
import type { ReplicaLocation } from '../dal/replica-repository';
import type { Block } from '../domain/located-blocks';

/** What the rows say of one file's blocks: the input of `assembleFileBlocks`. */
export interface FileBlockRows {
  readonly blocks: readonly Block[];
  readonly replicas: readonly ReplicaLocation[];
  readonly pipeline: readonly PipelineLocation[];
}

/** One file's block rows wanted (getBlockLocations); its pipeline too when the file is open for writing. */
export interface FileBlocksRequest {
  readonly inodeId: number;
  readonly withPipeline: boolean;
}

/** A page of a directory's children after `startAfter` (getListing); `whole` as ChildPage's. */
export type ChildPageRequest = ChildPage;

/** A read answered per request, possibly coalesced with others (TickBatcher) or served from a cache. */
export interface BatchedRead<K, V> {
  get(request: K): Promise<V>;
}
