import type { InodeKey } from './inode-row';
import type { Mutation, Query } from './query';

/** One extended attribute; namespace as in XAttrProto.XAttrNamespaceProto. */
export interface XAttrRow {
  readonly inodeId: number;
  readonly namespace: number;
  readonly name: string;
  readonly value: Buffer | null;
}

/** `xattrs`. */
export interface XAttrRepository {
  findByInode(inodeId: number): Query<XAttrRow[]>;
  /**
   * The xattrs of `inodeId`, read in one statement (one read view) with the
   * rows of `chain`: undefined when any of them no longer holds its key,
   * i.e. the path resolved earlier names another inode by now (a delete or
   * rename committed since), so the xattrs are never those of a state the
   * path did not have.
   */
  findByInodeOnPath(chain: readonly (InodeKey & { readonly id: number })[], inodeId: number): Query<XAttrRow[] | undefined>;
  /** The xattrs of several inodes, by inode, namespace and name. */
  findByInodesBatched(inodeIds: readonly number[]): Query<XAttrRow[]>;
  upsert(x: XAttrRow): Mutation;
  deleteByPk(x: Pick<XAttrRow, 'inodeId' | 'namespace' | 'name'>): Mutation;
  deleteByInodesBatched(inodeIds: readonly number[]): Mutation;
}
