import type { Location } from '../domain/located-blocks';
import type { Mutation, Query } from './query';

/** A datanode storage chosen for a block under construction, at its place in the pipeline. */
export interface PipelineTarget {
  readonly inodeId: number;
  readonly blockId: number;
  readonly position: number;
  readonly datanodeUuid: string;
  readonly storageId: string;
}

export interface PipelineLocation {
  readonly blockId: number;
  readonly location: Location;
}

/** `pipeline_targets`: the expected locations of blocks under construction. */
export interface PipelineRepository {
  /** In pipeline order per block. */
  findLocationsByInodesBatched(inodeIds: readonly number[]): Query<PipelineLocation[]>;
  insertBatched(targets: readonly PipelineTarget[]): Mutation;
  deleteByBlock(inodeId: number, blockId: number): Mutation;
  deleteByInodesBatched(inodeIds: readonly number[]): Mutation;
}
