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
  /** The xattrs of several inodes, by inode, namespace and name. */
  findByInodesBatched(inodeIds: readonly number[]): Query<XAttrRow[]>;
  upsert(x: XAttrRow): Mutation;
  deleteByPk(x: Pick<XAttrRow, 'inodeId' | 'namespace' | 'name'>): Mutation;
  deleteByInodesBatched(inodeIds: readonly number[]): Mutation;
}
