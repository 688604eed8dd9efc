import { createHash } from 'node:crypto';
import type { LocatedDirectoryListing } from '../domain/located-directory-listing';
import { fileNotFound, illegalArgument, isNamesystemError } from '../errors';

/** dfs.batched.ls.limit's default: paths per call. */
export const BATCHED_LISTING_MAX_PATHS = 100;

/** One path's part of a batch: its entries, or the error listing it met (HDFS's HdfsPartialListing). */
export interface PartialListing {
  readonly parentIndex: number;
  readonly entries: LocatedDirectoryListing['entries'];
  readonly error?: unknown;
}

export interface BatchedListing {
  readonly listings: readonly PartialListing[];
  readonly hasMore: boolean;
  /** Opaque to the client, which sends it back for the next batch. */
  readonly cookie: Buffer;
}

/** Where the next batch starts: the checksum of the paths (a cookie is only good for the same list), the path, the last name. */
interface Cookie {
  readonly sum: string;
  readonly index: number;
  readonly after: string;
}

const checksumOf = (paths: readonly string[]): string => createHash('md5').update(JSON.stringify(paths)).digest('hex');

function parseCookie(bytes: Buffer, sum: string, paths: number): Cookie {
  let cookie: Partial<Cookie>;
  try {
    cookie = JSON.parse(bytes.toString('utf8')) as Partial<Cookie>;
  } catch {
    throw illegalArgument('startAfter is not a cookie of getBatchedListing');
  }
  const index = cookie.index;
  if (cookie.sum !== sum || !Number.isSafeInteger(index) || (index as number) < 0 || (index as number) >= paths || typeof cookie.after !== 'string') {
    throw illegalArgument('startAfter does not belong to this list of paths');
  }
  return cookie as Cookie;
}

/**
 * FSNamesystem.getBatchedListing: the listings of several paths in one
 * call, up to the listing limit of entries, each path's error kept to its
 * own part (a missing path is a FileNotFoundException there, not a failed
 * call). A path whose listing does not fit continues in the next batch.
 */
export async function batchedListing(
  paths: readonly string[],
  startAfter: Buffer,
  limit: number,
  list: (src: string, startAfter: string) => Promise<LocatedDirectoryListing | undefined>,
): Promise<BatchedListing> {
  if (paths.length > BATCHED_LISTING_MAX_PATHS) throw illegalArgument(`Too many source paths (${paths.length} > ${BATCHED_LISTING_MAX_PATHS})`);
  const sum = checksumOf(paths);
  const from = startAfter.length > 0 ? parseCookie(startAfter, sum, paths.length) : { sum, index: 0, after: '' };
  const listings: PartialListing[] = [];
  let count = 0;
  for (let i = from.index; i < paths.length; i++) {
    const src = paths[i] as string;
    let listing: LocatedDirectoryListing | undefined;
    try {
      listing = await list(src, i === from.index ? from.after : '');
      if (!listing) listings.push({ parentIndex: i, entries: [], error: fileNotFound(`Path ${src} does not exist`) });
    } catch (err) {
      if (!isNamesystemError(err)) throw err;
      listings.push({ parentIndex: i, entries: [], error: err });
    }
    if (listing) {
      listings.push({ parentIndex: i, entries: listing.entries });
      count += listing.entries.length;
      if (listing.remaining > 0) {
        const last = listing.entries[listing.entries.length - 1]?.status.name ?? '';
        return { listings, hasMore: true, cookie: Buffer.from(JSON.stringify({ sum, index: i, after: last })) };
      }
    }
    if (count >= limit && i + 1 < paths.length) return { listings, hasMore: true, cookie: Buffer.from(JSON.stringify({ sum, index: i + 1, after: '' })) };
  }
  return { listings, hasMore: false, cookie: Buffer.alloc(0) };
}
