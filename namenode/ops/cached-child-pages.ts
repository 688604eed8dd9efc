import { byteOrder, listingBytes, listingKey, listingTokens, TOO_LARGE, type ListingEntry } from '../dal/cached-listing';
import type { InodeRow } from '../dal/inode-row';
import type { BatchedRead, ChildPageRequest } from '../tx/batched-reads';
import type { EntryCache } from '../tx/row-cache';

export interface CachedChildPagesOptions {
  /** The unlocked coalesced page read: directories too large to keep. */
  readonly direct: BatchedRead<ChildPageRequest, InodeRow[]>;
  /**
   * The first `limit` children of a directory, in name order, read with
   * shared locks; undefined when a writer holds one of them locked (an
   * uncommitted insert, update or delete): the read does not wait for it.
   */
  readonly firstChildren: (parentId: number, limit: number) => Promise<InodeRow[] | undefined>;
  /** Rows per page (listingLimit). */
  readonly pageSize: number;
  /** Directories with at most this many children are kept whole (below one page, so a page never needs counting). */
  readonly maxEntries: number;
}

/**
 * getListing's pages from the coherent cache (namenode/cache/README.md): a
 * directory with at most `maxEntries` children is kept whole, named by its
 * listing token, which every change of a child row carries (an insert,
 * delete or move, and a change of one child's row), so any change of the
 * set of children or of one child's row drops it.
 */
export class CachedChildPages implements BatchedRead<ChildPageRequest, InodeRow[]> {
  readonly #cache: EntryCache;
  readonly #o: CachedChildPagesOptions;

  constructor(cache: EntryCache, o: CachedChildPagesOptions) {
    this.#cache = cache;
    this.#o = o;
  }

  async get(request: ChildPageRequest): Promise<InodeRow[]> {
    const key = listingKey(request.parentId);
    let entry = this.#cache.get<ListingEntry>('listing', key);
    if (entry === undefined) {
      const e0 = this.#cache.epoch;
      const rows = await this.#o.firstChildren(request.parentId, this.#o.maxEntries + 1);
      // A writer is between its statements and its COMMIT: the committed rows answer, and nothing is kept.
      if (rows === undefined) return this.#o.direct.get(request);
      entry = rows.length > this.#o.maxEntries ? TOO_LARGE : rows;
      this.#cache.install(key, entry, listingBytes(entry), listingTokens(request.parentId), e0);
    }
    if (entry === TOO_LARGE) return this.#o.direct.get(request);
    const after = request.startAfter;
    const from = after === '' ? 0 : entry.findIndex((r) => byteOrder(r.name, after) > 0);
    return from < 0 ? [] : entry.slice(from, from + this.#o.pageSize);
  }
}
