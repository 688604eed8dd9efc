import type { RetryKey } from '../domain/retry-key';
import { isDirectory, type InodeRow } from '../dal/inode-row';
import { alreadyExists, ioError, NamesystemError } from '../errors';
import { isStrictlyBelow, lastName, parsePath, type HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import type { OpContext } from '../tx/op-context';
import { refuseLockedSubtree } from '../tx/subtree-lock-check';
import type { WriteContext } from '../tx/transaction-runner';
import { applyRename, checkRename, legacyFail, renameLockSpecs, strictFail, type Fail, type RenameRequest } from './rename-plan';
import { renameSubtree } from './rename-subtree';
import { SubtreeTooBig, walkSubtree } from './subtree';
import { checkSubtreeDeletable } from './subtree-access';

/**
 * The legacy rename's destination turned out to be a directory: the
 * rename goes into it (its transaction rolled back, nothing changed).
 */
class IntoDirectory extends NamesystemError {
  constructor() {
    super('IO', 'the rename destination is a directory');
  }
}

/**
 * ClientProtocol.rename: into an existing directory, never over anything.
 * The destination is looked at under the rename's own locks: when it is a
 * directory, that transaction rolls back and the rename runs again with
 * the source's name below it (as HDFS's renameTo does, once). Before, every
 * rename read its destination first, a round trip of its own even when (as
 * mostly) the destination did not exist.
 */
export async function rename(ctx: OpContext, caller: Caller, src: string, dst: string, retryKey?: RetryKey): Promise<boolean> {
  const srcPath = parsePath(src);
  const dstPath = parsePath(dst);
  const into = (dir: HdfsPath) => parsePath(`${dir.text === '/' ? '' : dir.text}/${lastName(srcPath)}`);
  if (srcPath.components.length === 0) return renameCore(ctx, caller, srcPath, dstPath, false, legacyFail, retryKey);
  // The root is a directory.
  if (dstPath.components.length === 0) return renameCore(ctx, caller, srcPath, into(dstPath), false, legacyFail, retryKey);
  try {
    return await renameCore(ctx, caller, srcPath, dstPath, false, legacyFail, retryKey, false, true);
  } catch (e) {
    if (!(e instanceof IntoDirectory)) throw e;
  }
  return renameCore(ctx, caller, srcPath, into(dstPath), false, legacyFail, retryKey);
}

/**
 * ClientProtocol.rename2: exact destination, OVERWRITE optional. TO_TRASH
 * (the trash policy's move) also asks what a recursive delete of the source
 * would: rwx on every non-empty directory under it.
 */
export async function rename2(ctx: OpContext, caller: Caller, src: string, dst: string, overwrite: boolean, retryKey?: RetryKey, toTrash = false): Promise<void> {
  await renameCore(ctx, caller, parsePath(src), parsePath(dst), overwrite, strictFail, retryKey, toTrash);
}

async function renameCore(
  ctx: OpContext,
  caller: Caller,
  srcPath: HdfsPath,
  dstPath: HdfsPath,
  overwrite: boolean,
  fail: Fail,
  retryKey: RetryKey | undefined,
  toTrash = false,
  intoDirectory = false,
): Promise<boolean> {
  if (isStrictlyBelow(dstPath, srcPath)) {
    throw ioError(`Rename destination ${dstPath.text} is a directory or file under source ${srcPath.text}`);
  }
  if (srcPath.components.length === 0) return fail(ioError(`Rename source / is the root`));
  if (dstPath.components.length === 0) return fail(alreadyExists(`rename destination / already exists`));
  const req: RenameRequest = { caller, overwrite, fail, toTrash };
  try {
    return await ctx.runner.write('rename', renameLockSpecs(srcPath, dstPath), async ([s, d], tx) => {
      if (!s || !d) throw new Error('unreachable');
      if (intoDirectory && d.target && isDirectory(d.target)) throw new IntoDirectory();
      const plan = await checkRename(req, s, d, tx);
      if (typeof plan === 'boolean') return plan;
      await checkMoving(ctx, req, plan.moving, s.path.text, tx);
      await applyRename(ctx, plan, tx);
      return true;
    }, { retryKey });
  } catch (e) {
    if (!(e instanceof SubtreeTooBig)) throw e;
  }
  return renameSubtree(ctx, req, srcPath, dstPath, retryKey);
}

/**
 * What the one-transaction rename checks of the moving subtree: no locked
 * subtree inside and, moving to the trash, the permissions a delete would
 * ask; past `subtreeThreshold` inodes, SubtreeTooBig.
 */
async function checkMoving(ctx: OpContext, req: RenameRequest, moving: InodeRow, srcText: string, tx: WriteContext): Promise<void> {
  if (!isDirectory(moving)) return;
  const subtree: InodeRow[] = [moving];
  await walkSubtree(moving, tx, (rows) => {
    refuseLockedSubtree(srcText, rows, ctx.membership);
    if (req.toTrash) subtree.push(...rows);
  }, ctx.config.subtreeThreshold);
  if (req.toTrash) checkSubtreeDeletable(req.caller, moving, subtree, srcText);
}

