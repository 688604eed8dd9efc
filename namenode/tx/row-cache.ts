import type { InodeKey, InodeRow } from '../dal/inode-row';

/** Rows by key (InodeRow keyOf → row), as the database answers a batched primary-key lookup. */
export type RowLookup = (keys: readonly InodeKey[]) => Promise<Map<string, InodeRow>>;

/**
 * What the transaction runner asks of a coherent inode cache
 * (namenode/cache, README.md there): rows for path resolution, served from
 * memory while that is safe, and invalidation of changed rows before a
 * write commits.
 */
export interface RowCache {
  /**
   * The rows at these keys. Misses go to `load`, a shared-lock read that
   * skips the rows a writer holds locked (between its statements and its
   * COMMIT) instead of waiting for it; the cache keeps what it may of that.
   * The keys it did not answer (absent, or skipped) go to `peek`, an
   * unlocked read of the committed rows: answered, never kept.
   */
  lookup(keys: readonly InodeKey[], load: RowLookup, peek: RowLookup): Promise<Map<string, InodeRow>>;
  /**
   * The rows at these keys for a write's resolution, which its lock round
   * trip reads again and validates: served from memory where they are, the
   * misses from `peek` (unlocked, one round trip), nothing kept.
   */
  lookupForWrite(keys: readonly InodeKey[], peek: RowLookup): Promise<Map<string, InodeRow>>;
  /**
   * Called by a writer holding the exclusive locks of the changed rows,
   * before COMMIT: resolves once no namenode can serve the rows these
   * tokens name (inode-row.ts idToken/keyToken).
   */
  invalidate(tokens: readonly string[]): Promise<void>;
  /**
   * Sends a transaction's writes, which change the rows these tokens name,
   * and commits: the statements, the invalidation and COMMIT (`write`,
   * `invalidate`, `commit`), or, where the cache allows it, statements and
   * COMMIT in one round trip (`writeAndCommit`). `fenced`: the transaction
   * locked the root's row (the safe mode) in its first round trip, before any write.
   */
  commitWrite(tokens: readonly string[], fenced: boolean, steps: WriteSteps): Promise<void>;
  /** Drops these rows here only (a write found them stale: another writer is about to change them, or has). */
  forget(rows: readonly InodeRow[]): void;
  /** The same cache for block rows, datanode rows and listings; absent: those reads go to the database. */
  readonly entries?: EntryCache;
}

/** The ways a transaction's writes can reach the database (RowCache.commitWrite). */
export interface WriteSteps {
  /** The statements without COMMIT: their rows stay locked. */
  write(): Promise<void>;
  /** COMMIT, after `write`. */
  commit(): Promise<void>;
  /**
   * The statements and COMMIT in one round trip; answers the rows whose id
   * tokens the write names, read after its statements and before COMMIT
   * under its own locks (the committed state); undefined when it read
   * none back (too many to read).
   */
  writeAndCommit(): Promise<readonly InodeRow[] | undefined>;
}

/** What kind of entry a read looked for (metrics). */
export type EntryKind = 'blocks' | 'listing' | 'datanode';

/**
 * Entries other than path resolution's inode rows kept in the same
 * coherent cache and byte budget (README.md there): a closed file's block
 * and replica rows, datanode rows, directory listings. Each entry is named
 * by the invalidation tokens of the rows it was built from (dal/cache-tokens.ts).
 */
export interface EntryCache {
  /** The entry, while the lease holds; undefined otherwise (counted as a hit or a miss of `kind`). */
  get<V>(kind: EntryKind, key: string): V | undefined;
  /** Noted before the shared-lock read whose result may be installed. */
  readonly epoch: number;
  /**
   * Keeps what a read begun at epoch `e0` built from the rows `tokens` name,
   * if the lease holds and none of them was invalidated (nor the lease
   * lapsed) since; answers whether it was kept.
   */
  install(key: string, value: unknown, bytes: number, tokens: readonly string[], e0: number): boolean;
}
