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
   * The rows at these keys. Misses go to `load`, which must be a locking
   * (shared) read so that it waits for writers between their statements
   * and their COMMIT; the cache keeps what it may.
   */
  lookup(keys: readonly InodeKey[], load: RowLookup): Promise<Map<string, InodeRow>>;
  /**
   * Called by a writer holding the exclusive locks of the changed rows,
   * before COMMIT: resolves once no namenode can serve the rows these
   * tokens name (inode-row.ts idToken/keyToken).
   */
  invalidate(tokens: readonly string[]): Promise<void>;
  /** Drops these rows here only (a write found them stale: another writer is about to change them, or has). */
  forget(rows: readonly InodeRow[]): void;
}
