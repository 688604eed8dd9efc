import type { Block } from '../domain/located-blocks';
import type { ReadLock } from './cache-tokens';
import type { Mutation, Query } from './query';

/** `blocks`, keyed by inode first (one partition per file). */
export interface BlockRepository {
  findByInode(inodeId: number): Query<Block[]>;
  /** Several files' blocks (coalesced getBlockLocations), by file then index. */
  findByInodesBatched(inodeIds: readonly number[], lock?: ReadLock): Query<Block[]>;
  findByIdBatched(blockIds: readonly number[]): Query<Block[]>;
  insert(b: Block): Mutation;
  /** Bulk loading (benchmarks): many rows in one statement. */
  insertBatched(rows: readonly Block[]): Mutation;
  updateByPk(b: Block): Mutation;
  deleteByPk(b: Pick<Block, 'inodeId' | 'index'>): Mutation;
  deleteByInodesBatched(inodeIds: readonly number[]): Mutation;
  /** concat: a file's blocks become another's, their indexes shifted past the blocks it has. */
  moveToInode(fromInodeId: number, toInodeId: number, indexOffset: number): Mutation;
}
