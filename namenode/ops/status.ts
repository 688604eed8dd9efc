import { InodeType, isDirectory, type InodeRow } from '../dal/inode-row';
import { effectiveStoragePolicy, STORAGE_POLICY_UNSPECIFIED } from '../domain/storage-policies';
import { isNamesystemError } from '../errors';
import { parsePath, type HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction } from '../security/permission-checker';
import { resolveTargetRows, type ResolvedTarget } from './resolve-target';
import type { ReadContext } from '../tx/transaction-runner';
import type { OpContext } from '../tx/op-context';

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

/** One page of a directory after `startAfter`, or undefined when `src` does not exist. */
export async function getListing(ctx: OpContext, caller: Caller, src: string, startAfter: string): Promise<Listing | undefined> {
  const path = parsePath(src);
  return ctx.runner.read('getListing', (r) => listingPage(r, ctx, caller, path, startAfter));
}

/**
 * The page read of getListing, inside the caller's read transaction. Each
 * entry carries its own storage policy or else the directory's effective
 * one (a symlink the directory's), as HDFS 3.4's getListing.
 */
export async function listingPage(r: ReadContext, ctx: OpContext, caller: Caller, path: HdfsPath, startAfter: string): Promise<Listing | undefined> {
  const limit = ctx.config.listingLimit;
  const target = withEffectivePolicy(await resolveTargetRows(r, caller, path));
  if (!target) return undefined;
  const inherited = target.storagePolicy;
  if (!isDirectory(target)) return { entries: [{ ...target, name: '' }], remaining: 0 };
  checkAccess(caller, target, FsAction.READ_EXECUTE, path.text);
  // Coalesced with the other listings of this tick (one statement for all of them).
  const rows = await ctx.childPageReads.get({ parentId: target.id, startAfter });
  const policyOf = (e: InodeRow) => (e.type === InodeType.Symlink || e.storagePolicy === STORAGE_POLICY_UNSPECIFIED ? inherited : e.storagePolicy);
  // Rows are shared (the coherent cache keeps them): a row whose policy differs is copied, the rest (most) are not.
  const entries = rows.map((e) => {
    const storagePolicy = policyOf(e);
    return storagePolicy === e.storagePolicy ? e : { ...e, storagePolicy };
  });
  if (rows.length < limit) return { entries, remaining: 0 };
  const last = rows[rows.length - 1] as InodeRow;
  // Counted up to one more page, so a page of a directory of any size costs O(page) rows; past
  // it, the first page still knows the rest exactly from the directory's child count.
  const counted = await r.run(r.dal.inodes.countChildrenByParentAfter(target.id, last.name, limit));
  return { entries, remaining: counted < limit || startAfter !== '' ? counted : Math.max(counted, target.children - rows.length) };
}
