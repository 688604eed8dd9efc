import type { AclEntry } from '../domain/acl';

/** Stored in `inodes.type`. */
export enum InodeType {
  File = 1,
  Directory = 2,
  Symlink = 3,
}

/** One row of `inodes`, as the namesystem sees it. */
export interface InodeRow {
  readonly id: number;
  readonly parentId: number;
  readonly name: string;
  readonly type: InodeType;
  readonly permission: number;
  readonly owner: string;
  readonly group: string;
  readonly mtime: number;
  readonly atime: number;
  readonly replication: number;
  readonly blockSize: number;
  readonly length: number;
  readonly storagePolicy: number;
  readonly symlink: string | null;
  readonly ucClient: string | null;
  readonly ucMachine: string | null;
  /** Rows whose parent this is (directories; 0 for files). */
  readonly children: number;
  /**
   * The extended ACL entries HDFS keeps in an inode's AclFeature (see
   * security/acl-storage.ts), sorted; null without an ACL (HDFS's aclBit off).
   */
  readonly acl: readonly AclEntry[] | null;
  /**
   * The namenode whose subtree operation (delete or rename of a big
   * directory) holds this row as its root, else null or absent (rows built
   * in memory). Only the subtree-lock mutations write it: an update of the
   * row keeps it.
   */
  readonly subtreeLockOwner?: number | null;
  /**
   * A directory with a quota (HDFS's DirectoryWithQuotaFeature): changes
   * under it count in its usage. Read with the row, written only by
   * setQuota (`InodeRepository.setHasQuota`); a full-row update keeps it.
   */
  readonly hasQuota?: boolean;
  /**
   * 0 (or absent) on a row that is not a snapshottable directory;
   * NO_SNAPSHOT (-1) on a snapshottable directory without snapshots; else
   * the id of its newest snapshot. Written only by the snapshot calls
   * (`InodeRepository.setLatestSnapshot`); a full-row update keeps it.
   */
  readonly latestSnapshot?: number;
  /**
   * The newest snapshot id this row's current state is already covered
   * for: it was copied to `inode_versions`, or created, after that snapshot
   * (see namenode/snapshot/README.md). 0 or absent: none.
   */
  readonly snapEpoch?: number;
}

/**
 * A row changed by its id: the parent too, since the parent's listing
 * holds the row and a coherent cache names a listing by the parent alone
 * (see namenode/cache/README.md).
 */
export type InodeRef = Pick<InodeRow, 'id' | 'parentId'>;

/** The primary key of `inodes`. */
export interface InodeKey {
  readonly parentId: number;
  readonly name: string;
}

export const keyOf = (r: InodeKey): string => `${r.parentId}/${r.name}`;

/** A coherent cache's name for the row with this id (see namenode/cache/README.md). */
export const idToken = (id: number): string => `i${id}`;
/** The inode ids these tokens name by id (idToken), each once. */
export const idsOfTokens = (tokens: readonly string[]): number[] => {
  const ids = new Set<number>();
  for (const t of tokens) if (t.charCodeAt(0) === 105 /* i */ && /^i\d+$/.test(t)) ids.add(Number(t.slice(1)));
  return [...ids];
};
/** A coherent cache's name for the row at this key. */
export const keyToken = (k: InodeKey): string => `k${keyOf(k)}`;

/** What a cached row costs besides its strings: the row object, its numbers, two Map slots. */
const ROW_OVERHEAD_BYTES = 320;

const textBytes = (s: string | null | undefined): number => 2 * (s?.length ?? 0);
/** An estimate of what a row takes in memory (UTF-16 strings, 48 bytes an ACL entry). */
export const rowBytes = (r: InodeRow): number =>
  ROW_OVERHEAD_BYTES + 2 * textBytes(r.name) + textBytes(r.owner) + textBytes(r.group) + textBytes(r.symlink) + textBytes(r.ucClient) + textBytes(r.ucMachine) + 48 * (r.acl?.length ?? 0);

/** `latestSnapshot` of a snapshottable directory that has no snapshot. */
export const NO_SNAPSHOT = -1;
export const isSnapshottable = (r: InodeRow): boolean => (r.latestSnapshot ?? 0) !== 0;
export const hasSnapshots = (r: InodeRow): boolean => (r.latestSnapshot ?? 0) > 0;

export const isDirectory = (r: InodeRow): boolean => r.type === InodeType.Directory;
export const isFile = (r: InodeRow): boolean => r.type === InodeType.File;
