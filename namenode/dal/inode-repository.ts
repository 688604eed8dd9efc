import type { ReadLock } from './cache-tokens';
import type { Mutation, Query } from './query';
import type { InodeKey, InodeRef, InodeRow } from './inode-row';
import type { FileBlockRowSet } from './block-repository';

/**
 * A page of a directory's children after `startAfter`. `whole`: the page is
 * the directory's first and its row counted at most a page of children, so
 * the page is all of them: such pages are read together as one range of
 * an IN list on the primary key's prefix, with no LIMIT of their own.
 * MariaDB 10.11 spends ~30 µs on each member of a UNION ALL (its own
 * optimization and range analysis) on top of the rows, as much as reading
 * a directory of 50 (bench/README.md, stop 59).
 */
export interface ChildPage {
  readonly parentId: number;
  readonly startAfter: string;
  readonly whole?: boolean;
}

/** A child's status bytes around its mtime as its row keeps them (status_head, status_tail), null when not kept. */
export interface StoredStatus {
  readonly head: Buffer | null;
  readonly mtime: number;
  readonly tail: Buffer | null;
}

/** Inode rows with the block rows of each (by inode id), as one statement read them. */
export interface InodesWithBlocks {
  readonly rows: InodeRow[];
  readonly files: ReadonlyMap<number, FileBlockRowSet>;
}

/**
 * `sharedSkipLocked`: a shared-lock read that leaves out the rows another
 * transaction holds locked instead of waiting for it (a coherent cache's
 * miss: what it returns may be kept, what it left out is read unlocked).
 */
export type LockMode = 'none' | 'shared' | 'sharedSkipLocked' | 'exclusive';

/**
 * `inodes`. Finder names show their access path (…ByPk, …Batched,
 * …ByParent) so the cost of a query is visible where it is called.
 */
export interface InodeRepository {
  findByPkBatched(keys: readonly InodeKey[], lock: LockMode): Query<InodeRow[]>;
  /**
   * findByPkBatched (unlocked) with each file's blocks and its replicas'
   * locations, in one statement: what getBlockLocations needs of a path
   * (BlockRepository.findFileRowSet of each file found, without pipelines,
   * in the same consistent read). `files` has an entry for every row found;
   * a directory's is empty.
   */
  findByPkWithBlocksBatched(keys: readonly InodeKey[]): Query<InodesWithBlocks>;
  findByIdBatched(ids: readonly number[], lock: LockMode): Query<InodeRow[]>;
  /**
   * The row with this id and its ancestors by parent id, root first, read
   * without locks: at most `maxDepth` + 1 id lookups (a path's depth bound).
   * Names a row known only by id (a lease recovery's file) for the change log.
   */
  findAncestryById(id: number, maxDepth: number): Query<InodeRow[]>;
  /**
   * A path write's whole lock phase in one statement: each group's rows
   * with its own lock mode, in the order given (UNION ALL members run in
   * order, so the global lock order holds; the unlocked group last reads its
   * rows once every lock is held), and the fleet's safe mode from the root's
   * row, which the groups must lock (lock-plan.ts does). findByPkBatched(keys,
   * mode) for each group, in one statement instead of one a group.
   */
  findSafeModeAndLockedBatched(groups: readonly { readonly keys: readonly InodeKey[]; readonly mode: LockMode }[]): Query<{ safeModeEnteredAt: number | null; rows: InodeRow[] }>;
  /** One page of a directory after `startAfter`, sorted by name bytes (the order HDFS lists in). */
  findChildrenByParent(parentId: number, startAfter: string, limit: number, lock?: LockMode): Query<InodeRow[]>;
  /**
   * A page of each of several directories (coalesced getListing) in one
   * statement, in the order asked. A `whole` page (ChildPage) may come back
   * undefined: the statement's row cap cut it short (its directory grew past
   * `limit` children since its row was read); read it again as a page.
   */
  findChildPagesBatched(pages: readonly ChildPage[], limit: number, lock?: ReadLock): Query<(InodeRow[] | undefined)[]>;
  /**
   * findChildPagesBatched's pages as each child's stored status bytes and
   * mtime (three columns a child, unlocked): a child written before the
   * bytes were kept has null parts.
   */
  findChildStatusPagesBatched(pages: readonly ChildPage[], limit: number): Query<(StoredStatus[] | undefined)[]>;
  /**
   * Up to `limit` keys after `after` in key order, each with whether its
   * row keeps its status bytes (the status-bytes backfill's walk: key
   * columns only, a bounded primary-key range).
   */
  findKeysAfter(after: InodeKey, limit: number): Query<{ key: InodeKey; kept: boolean }[]>;
  /**
   * Writes to each row the status bytes its columns give, where the row
   * still has none (status_head IS NULL): a row written since it was read
   * already has its own, newer bytes and keeps them. No cached row changes.
   */
  fillStatusBytes(rows: readonly InodeRow[]): Mutation;
  /** Children after `startAfter`, counted up to `cap` (a bounded index range scan). */
  countChildrenByParentAfter(parentId: number, startAfter: string, cap: number): Query<number>;
  hasChildrenByParent(parentId: number): Query<boolean>;
  /** All children of several directories: one level of a subtree walk. */
  findChildrenByParentsBatched(parentIds: readonly number[]): Query<InodeRow[]>;
  /** Of these directories, the ones that still have a child (one index probe each). */
  findParentsWithChildrenBatched(parentIds: readonly number[]): Query<number[]>;
  /** Sets the subtree lock of the row with this id (taking over a dead owner's). */
  setSubtreeLockById(row: InodeRef, owner: number, now: number): Mutation;
  /** Clears the subtree lock of the row with this id if `owner` still holds it. */
  clearSubtreeLockById(row: InodeRef, owner: number): Mutation;
  insertBatched(rows: readonly InodeRow[]): Mutation;
  /** Rewrites a whole row, its key included (a rename moves the key). */
  updateByPk(oldKey: InodeKey, row: InodeRow): Mutation;
  deleteByPkBatched(keys: readonly InodeKey[]): Mutation;
  setHasQuota(row: InodeRef, on: boolean): Mutation;
  /** InodeRow.latestSnapshot: 0 not snapshottable, NO_SNAPSHOT (-1) snapshottable without snapshots, else the newest snapshot's id. */
  setLatestSnapshot(row: InodeRef, snapshotId: number): Mutation;
  /** Locks every child of a directory (setQuota waits out writes to files directly in it); answers how many. */
  lockChildrenByParent(parentId: number): Query<number>;
  /**
   * A directory that gained (or lost) children without being locked first
   * (a create into a busy directory): mtime advances to at least `mtime`,
   * the child count moves by `childDelta`. It fails ('guard', see
   * db-errors.ts) instead of going past `maxItems`, when the row's quota
   * flag is no longer `hasQuota`, or when no row has the id any more (the
   * directory was deleted meanwhile); the caller then runs again with the
   * directory locked. Sent last before COMMIT, so the row is locked only
   * while the transaction commits.
   */
  touchDirectory(dir: InodeRef, childDelta: number, mtime: number, maxItems: number, hasQuota: boolean): Mutation;
}
