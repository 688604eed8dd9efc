import { isFile, type InodeRow } from '../dal/inode-row';
import { fileNotFound } from '../errors';
import { parsePath, type HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess as checkPathAccess, type FsAction } from '../security/permission-checker';
import type { OpContext } from '../tx/op-context';
import { resolveTarget } from './resolve-target';

/** FSNamesystem.isFileClosed: no lease holds the file open. */
export async function isFileClosed(ctx: OpContext, caller: Caller, src: string): Promise<boolean> {
  const path = parsePath(src);
  return ctx.runner.read('isFileClosed', async (r) => {
    return fileAt(await resolveTarget(r, caller, path), path).ucClient === null;
  });
}

/** INodeFile.valueOf: the path's file, or FileNotFoundException. */
function fileAt(target: InodeRow | undefined, path: HdfsPath): InodeRow {
  if (!target) throw fileNotFound(`File does not exist: ${path.text}`);
  if (!isFile(target)) throw fileNotFound(`Path is not a file: ${path.text}`);
  return target;
}

/**
 * FSDirStatAndListingOp.getPreferredBlockSize: resolvePath(READ_LINK), so
 * a file in the way is an AccessControlException for everyone (the
 * superuser too, unlike getFileInfo), then the file's block size.
 */
export async function getPreferredBlockSize(ctx: OpContext, caller: Caller, src: string): Promise<number> {
  const path = parsePath(src);
  return ctx.runner.read('getPreferredBlockSize', async (r) => fileAt(await resolveTarget(r, caller, path, false), path).blockSize);
}

/** FSNamesystem.checkAccess: answers nothing when `caller` may do `mode` on `src`, AccessControlException when not. */
export async function checkAccess(ctx: OpContext, caller: Caller, src: string, mode: FsAction): Promise<void> {
  const path = parsePath(src);
  await ctx.runner.read('checkAccess', async (r) => {
    const target = await resolveTarget(r, caller, path);
    if (!target) throw fileNotFound('Path not found');
    checkPathAccess(caller, target, mode, path.text);
  });
}
