import { InodeType, isDirectory, type InodeRow } from '../dal/inode-row';
import { effectiveStoragePolicy, STORAGE_POLICY_UNSPECIFIED } from '../domain/storage-policies';
import { isNamesystemError } from '../errors';
import { parsePath, type HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction } from '../security/permission-checker';
import { resolveTargetRows, type ResolvedTarget } from './resolve-target';
import type { ReadContext } from '../tx/transaction-runner';
import type { OpContext } from '../tx/op-context';
import type { BatchedRead, ChildPageRequest } from '../tx/batched-reads';
import type { StoredStatus } from '../dal/inode-repository';
import type { EncodedListing, EncodedStatus } from '../domain/file-status';
import { headIsKept, headIsSymlink, headName, tailPolicy, withTailPolicy } from '../wire/status-parts';

/**
 * The row a status reports: with the storage policy it lives under (its
 * own or inherited, as HDFS's getFileInfo), none for a symlink.
 */
export function withEffectivePolicy({ target, rows }: ResolvedTarget): InodeRow | undefined {
  if (!target) return undefined;
  const storagePolicy = target.type === InodeType.Symlink ? STORAGE_POLICY_UNSPECIFIED : effectiveStoragePolicy(rows.map((r) => r.storagePolicy));
  // Rows are shared (the coherent cache keeps them) and never changed: copied only when the policy differs (a file under a policy'd directory).
  return storagePolicy === target.storagePolicy ? target : { ...target, storagePolicy };
}

/** The status of `src`, or undefined when it does not exist. */
export function getFileInfo(ctx: OpContext, caller: Caller, src: string): Promise<InodeRow | undefined> {
  // Not async (the read's promise is the answer); a path parsePath refuses still answers a rejected promise.
  let path: HdfsPath;
  try {
    path = parsePath(src);
  } catch (err) {
    return Promise.reject(err);
  }
  return ctx.runner.read('getFileInfo', (r) => statusOf(r, caller, path, true));
}

/**
 * FSDirStatAndListingOp.getFileInfo: a superuser can only fail the traverse
 * check where a file stands in the path, and "current fs contracts expect
 * superuser to receive null instead"; anyone else gets the
 * AccessControlException.
 */
export function statusOf(r: ReadContext, caller: Caller, path: HdfsPath, followLink: boolean): Promise<InodeRow | undefined> {
  // Not async: one reaction on the resolution (getFileInfo's every call passes here).
  return resolveTargetRows(r, caller, path, followLink).then(withEffectivePolicy, (err: unknown) => {
    if (caller.isSuperuser && isNamesystemError(err, 'AccessDenied')) return undefined;
    throw err;
  });
}

export interface Listing {
  /** For a file, its own status with an empty name. */
  readonly entries: readonly InodeRow[];
  /**
   * Entries after this page: exact up to one more page (dfs.ls.limit) and
   * on the first page, else that lower bound. Clients test it only for zero
   * (DirectoryListing.hasMore) or size a buffer with it; counting a million
   * names per page would not scale.
   */
  readonly remaining: number;
}

/**
 * One page of a directory after `startAfter`, or undefined when `src` does
 * not exist. With `encoded` (a front door that answers bytes) and a reader
 * of stored status bytes, the page is its children's bytes where every
 * child has them.
 */
export async function getListing(ctx: OpContext, caller: Caller, src: string, startAfter: string, encoded = false): Promise<Listing | EncodedListing | undefined> {
  const path = parsePath(src);
  const statuses = encoded ? ctx.childStatusReads : undefined;
  if (!statuses) return ctx.runner.read('getListing', (r) => listingPage(r, ctx, caller, path, startAfter));
  return ctx.runner.read('getListing', (r) => encodedListingPage(r, ctx, statuses, caller, path, startAfter));
}

/** The directory a listing reads, with the storage policy its children inherit; or a file's own page; or undefined. */
async function listedDirectory(r: ReadContext, caller: Caller, path: HdfsPath): Promise<InodeRow | Listing | undefined> {
  const target = withEffectivePolicy(await resolveTargetRows(r, caller, path));
  if (!target) return undefined;
  if (!isDirectory(target)) return { entries: [{ ...target, name: '' }], remaining: 0 };
  checkAccess(caller, target, FsAction.READ_EXECUTE, path.text);
  return target;
}

const isListing = (d: InodeRow | Listing): d is Listing => 'entries' in d;

/**
 * A full page's `remaining`: counted up to one more page, so a page of a
 * directory of any size costs O(page) rows; past it, the first page still
 * knows the rest exactly from the directory's child count.
 */
async function remainingAfter(r: ReadContext, ctx: OpContext, dir: InodeRow, startAfter: string, count: number, lastName: string): Promise<number> {
  const limit = ctx.config.listingLimit;
  if (count < limit) return 0;
  const counted = await r.run(r.dal.inodes.countChildrenByParentAfter(dir.id, lastName, limit));
  return counted < limit || startAfter !== '' ? counted : Math.max(counted, dir.children - count);
}

/**
 * The page read of getListing, inside the caller's read transaction. Each
 * entry carries its own storage policy or else the directory's effective
 * one (a symlink the directory's), as HDFS 3.4's getListing.
 */
export async function listingPage(r: ReadContext, ctx: OpContext, caller: Caller, path: HdfsPath, startAfter: string): Promise<Listing | undefined> {
  const dir = await listedDirectory(r, caller, path);
  if (!dir || isListing(dir)) return dir;
  return rowsPage(r, ctx, dir, startAfter);
}

/** The storage policy a listed child reports: its own, or the directory's when it has none or is a symlink. */
const listedPolicy = (isSymlink: boolean, own: number, inherited: number): number => (isSymlink || own === STORAGE_POLICY_UNSPECIFIED ? inherited : own);

/** The page read of a listing: whole when it is the first and the directory's row counts at most a page of children. */
const pageOf = (ctx: OpContext, dir: InodeRow, startAfter: string): ChildPageRequest => ({
  parentId: dir.id,
  startAfter,
  whole: startAfter === '' && dir.children <= ctx.config.listingLimit,
});

async function rowsPage(r: ReadContext, ctx: OpContext, dir: InodeRow, startAfter: string): Promise<Listing> {
  const inherited = dir.storagePolicy;
  // Coalesced with the other listings of this tick (one statement for all of them).
  const rows = await ctx.childPageReads.get(pageOf(ctx, dir, startAfter));
  // Rows are shared (the coherent cache keeps them): a row whose policy differs is copied, the rest (most) are not.
  const entries = rows.map((e) => {
    const storagePolicy = listedPolicy(e.type === InodeType.Symlink, e.storagePolicy, inherited);
    return storagePolicy === e.storagePolicy ? e : { ...e, storagePolicy };
  });
  const last = rows[rows.length - 1];
  return { entries, remaining: last ? await remainingAfter(r, ctx, dir, startAfter, rows.length, last.name) : 0 };
}

/**
 * listingPage as the children's stored status bytes, with the same
 * inherited storage policies patched in. A page with a child whose bytes
 * are not kept (written before schema v16) or not of the expected shape is
 * read again as rows.
 */
async function encodedListingPage(
  r: ReadContext,
  ctx: OpContext,
  statuses: BatchedRead<ChildPageRequest, StoredStatus[]>,
  caller: Caller,
  path: HdfsPath,
  startAfter: string,
): Promise<Listing | EncodedListing | undefined> {
  const dir = await listedDirectory(r, caller, path);
  if (!dir || isListing(dir)) return dir;
  const inherited = dir.storagePolicy;
  const stored = await statuses.get(pageOf(ctx, dir, startAfter));
  const encoded: EncodedStatus[] = [];
  for (const s of stored) {
    if (s.head === null || s.tail === null || !headIsKept(s.head)) return rowsPage(r, ctx, dir, startAfter);
    const own = tailPolicy(s.tail);
    if (own === undefined) return rowsPage(r, ctx, dir, startAfter);
    const wanted = listedPolicy(headIsSymlink(s.head), own, inherited);
    const tail = wanted === own ? s.tail : withTailPolicy(s.tail, wanted);
    if (!tail) return rowsPage(r, ctx, dir, startAfter);
    encoded.push(tail === s.tail ? (s as EncodedStatus) : { head: s.head, mtime: s.mtime, tail });
  }
  const lastName = stored.length > 0 ? headName((encoded[encoded.length - 1] as EncodedStatus).head) : undefined;
  return { encoded, remaining: lastName !== undefined ? await remainingAfter(r, ctx, dir, startAfter, stored.length, lastName) : 0 };
}
