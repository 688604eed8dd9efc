import { isDirectory, type InodeRow } from '../dal/inode-row';
import { parsePath, type HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction } from '../security/permission-checker';
import { resolveTarget } from './resolve-target';
import type { ReadContext } from '../tx/transaction-runner';
import type { OpContext } from '../tx/op-context';

/** The status of `src`, or undefined when it does not exist. */
export async function getFileInfo(ctx: OpContext, caller: Caller, src: string): Promise<InodeRow | undefined> {
  const path = parsePath(src);
  return ctx.runner.read('getFileInfo', (r) => resolveTarget(r, caller, path));
}

export interface Listing {
  /** For a file, its own status with an empty name. */
  readonly entries: readonly InodeRow[];
  readonly remaining: number;
}

/** One page of a directory after `startAfter`, or undefined when `src` does not exist. */
export async function getListing(ctx: OpContext, caller: Caller, src: string, startAfter: string): Promise<Listing | undefined> {
  const path = parsePath(src);
  return ctx.runner.read('getListing', (r) => listingPage(r, ctx.config.listingLimit, caller, path, startAfter));
}

/** The page read of getListing, inside the caller's read transaction. */
export async function listingPage(r: ReadContext, limit: number, caller: Caller, path: HdfsPath, startAfter: string): Promise<Listing | undefined> {
  const target = await resolveTarget(r, caller, path);
  if (!target) return undefined;
  if (!isDirectory(target)) return { entries: [{ ...target, name: '' }], remaining: 0 };
  checkAccess(caller, target, FsAction.READ_EXECUTE, path.text);
  const entries = await r.run(r.dal.inodes.findChildrenByParent(target.id, startAfter, limit));
  if (entries.length < limit) return { entries, remaining: 0 };
  const last = entries[entries.length - 1] as InodeRow;
  return { entries, remaining: await r.run(r.dal.inodes.countChildrenByParentAfter(target.id, last.name)) };
}
