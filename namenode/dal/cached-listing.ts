import { listingToken } from './cache-tokens';
import { rowBytes, type InodeRow } from './inode-row';

/**
 * A directory's listing as the coherent cache keeps it (namenode/cache/README.md): all its
 * children in name order when it has at most `maxListingEntries`, else a
 * mark that it is too large (read page by page from the database). Named
 * by the directory's listing token alone: every change of a child row
 * names it (an insert, delete or move by key; a change by id through
 * inode-row.ts InodeRef), so a write into a directory of n children drops
 * and reinstalls one token, not n + 1.
 */
export const TOO_LARGE = 'too large';
export type ListingEntry = readonly InodeRow[] | typeof TOO_LARGE;

/** Children of a directory kept whole at most, whatever the listing limit. */
export const MAX_CACHED_LISTING = 1000;

/** Kept whole below one page, so a page never needs counting. */
export const maxListingEntries = (listingLimit: number): number => Math.min(MAX_CACHED_LISTING, listingLimit - 1);

const LISTING_ENTRY_BYTES = 200;

export const listingKey = (parentId: number): string => `l${parentId}`;
export const isListingKey = (key: string): boolean => key.charCodeAt(0) === 108; /* l */
export const parentOfListingKey = (key: string): number => Number(key.slice(1));

export const listingTokens = (parentId: number): string[] => [listingToken(parentId)];

export const listingBytes = (entry: ListingEntry): number => LISTING_ENTRY_BYTES + (entry === TOO_LARGE ? 0 : entry.reduce((n, r) => n + rowBytes(r), 0));

/** Names in the order the database lists them (`name` is binary: byte order). */
export const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * The children of `parentId` after a write, from `before` (its committed
 * children when the write began): without the names the write removed or
 * moved (`removedNames`: its key tokens under this parent) and the rows it
 * changed (`changedIds`), with the rows it read back that are now under
 * this parent. Exact when every change of the directory's children names
 * the child's key or id, as every `inodes` mutation does (insert: key and
 * id; update: id and old key; delete: key).
 */
export function patchedListing(parentId: number, before: readonly InodeRow[], removedNames: ReadonlySet<string>, changedIds: ReadonlySet<number>, readBack: readonly InodeRow[]): InodeRow[] {
  const kept = before.filter((r) => !removedNames.has(r.name) && !changedIds.has(r.id));
  const added = readBack.filter((r) => r.parentId === parentId);
  return [...kept, ...added].sort((a, b) => byteOrder(a.name, b.name));
}
