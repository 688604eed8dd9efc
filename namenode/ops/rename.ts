import type { RetryKey } from '../domain/retry-key';
import { isDirectory, isFile, type InodeRow } from '../dal/inode-row';
import { alreadyExists, fileNotFound, ioError, NamesystemError, parentNotDirectory } from '../errors';
import { isStrictlyBelow, lastName, parsePath, type HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, checkStickyBit, checkTraverse, FsAction } from '../security/permission-checker';
import type { LockedPath } from '../tx/lock-plan';
import { prefixText, resolutionTarget } from '../tx/path-resolver';
import type { WriteContext } from '../tx/transaction-runner';
import { removeInodes } from './delete';
import { withChildDelta } from './directory-items';
import { walkSubtree } from './subtree';
import { checkSubtreeDeletable } from './subtree-access';
import type { OpContext } from '../tx/op-context';
import { checkWriteTraverse } from './resolve-target';

/**
 * The legacy rename answers false for most failures; rename2 throws the
 * exception Hadoop throws. `fail` picks between the two.
 */
type Fail = (error: NamesystemError) => false;

const legacyFail: Fail = () => false;
const strictFail: Fail = (e) => {
  throw e;
};

/** ClientProtocol.rename: into an existing directory, never over anything. */
export async function rename(ctx: OpContext, caller: Caller, src: string, dst: string, retryKey?: RetryKey): Promise<boolean> {
  const srcPath = parsePath(src);
  let dstPath = parsePath(dst);
  if (srcPath.components.length > 0) {
    const existing = await ctx.runner.read('rename.resolveDst', (r) => r.resolve(dstPath));
    const t = resolutionTarget(existing);
    if (t && isDirectory(t)) dstPath = parsePath(`${dstPath.text === '/' ? '' : dstPath.text}/${lastName(srcPath)}`);
  }
  return renameCore(ctx, caller, srcPath, dstPath, false, legacyFail, retryKey);
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
): Promise<boolean> {
  if (isStrictlyBelow(dstPath, srcPath)) {
    throw ioError(`Rename destination ${dstPath.text} is a directory or file under source ${srcPath.text}`);
  }
  if (srcPath.components.length === 0) return fail(ioError(`Rename source / is the root`));
  if (dstPath.components.length === 0) return fail(alreadyExists(`rename destination / already exists`));
  // A symlink as either final component is renamed or replaced itself, not followed (DirOp.WRITE_LINK, CREATE_LINK).
  const specs = [
    { path: srcPath, parent: 'exclusive', target: 'exclusive', followLink: false },
    { path: dstPath, parent: 'exclusive', target: 'exclusive', followLink: false },
  ] as const;
  return ctx.runner.write('rename', specs, async ([s, d], tx) => {
    if (!s || !d) throw new Error('unreachable');
    return applyRename(ctx, caller, s, d, overwrite, fail, tx, toTrash);
  }, { retryKey });
}

async function applyRename(
  ctx: OpContext,
  caller: Caller,
  s: LockedPath,
  d: LockedPath,
  overwrite: boolean,
  fail: Fail,
  tx: WriteContext,
  toTrash: boolean,
): Promise<boolean> {
  const src = s.path;
  const dst = d.path;
  const srcPrefix = (i: number) => prefixText(src, i);
  const dstPrefix = (i: number) => prefixText(dst, i);
  // The source is resolved as DirOp.WRITE_LINK: a file in the way is an AccessControlException.
  checkWriteTraverse(caller, s);
  if (!s.target || !s.parent) return fail(fileNotFound(`rename source ${src.text} is not found.`));
  const moving = s.target;
  checkAccess(caller, s.parent, FsAction.WRITE, srcPrefix(src.components.length - 1));
  checkStickyBit(caller, s.parent, moving, src.text);
  if (toTrash && isDirectory(moving)) {
    const subtree: InodeRow[] = [moving];
    await walkSubtree(moving, tx, (rows) => subtree.push(...rows));
    checkSubtreeDeletable(caller, moving, subtree, src.text);
  }
  if (src.text === dst.text) {
    if (fail === legacyFail) return true;
    throw alreadyExists(`The source ${src.text} and destination ${dst.text} are the same`);
  }
  // Under the locks every ancestor of dst is fixed, so an id check is exact.
  if (d.rows.some((r) => r.id === moving.id)) {
    throw ioError(`Rename destination ${dst.text} is a directory or file under source ${src.text}`);
  }
  checkTraverse(caller, d.rows, Math.min(d.rows.length, dst.components.length), dstPrefix);
  const dstParentText = dstPrefix(dst.components.length - 1);
  // The destination is resolved as DirOp.CREATE_LINK: the traverse check's ParentNotDirectoryException.
  if (d.throughFile) return fail(parentNotDirectory(`${dstPrefix(d.rows.length - 1)} (is not a directory)`));
  const dstParent = d.parent;
  if (!dstParent) return fail(fileNotFound(`rename destination parent ${dstParentText} not found.`));
  if (!isDirectory(dstParent)) return fail(parentNotDirectory(`rename destination parent ${dstParentText} is a file.`));
  checkAccess(caller, dstParent, FsAction.WRITE, dstParentText);
  const existing = d.target;
  if (existing) {
    if (!overwrite) return fail(alreadyExists(`rename destination ${dst.text} already exists`));
    checkStickyBit(caller, dstParent, existing, dst.text);
    if (isDirectory(moving) && isFile(existing)) {
      throw ioError(`Source ${src.text} is a directory but destination ${dst.text} is a file.`);
    }
    if (isFile(moving) && isDirectory(existing)) {
      throw ioError(`Source ${src.text} is a file but destination ${dst.text} is a directory.`);
    }
    if (isDirectory(existing) && (await tx.run(tx.dal.inodes.hasChildrenByParent(existing.id)))) {
      throw ioError(`rename destination directory is not empty: ${dst.text}`);
    }
    await removeInodes(tx, [existing]);
  }
  const moved: InodeRow = { ...moving, parentId: dstParent.id, name: lastName(dst) };
  tx.changes.update(moving, moved);
  // The destination gains the moved entry and loses an overwritten one; the source loses it.
  const max = ctx.config.maxDirectoryItems;
  const replaced = existing ? 1 : 0;
  if (dstParent.id === s.parent.id) {
    tx.changes.update(s.parent, withChildDelta({ ...s.parent, mtime: tx.now }, -replaced, max, dstParentText));
  } else {
    tx.changes.update(s.parent, withChildDelta({ ...s.parent, mtime: tx.now }, -1, max, srcPrefix(src.components.length - 1)));
    tx.changes.update(dstParent, withChildDelta({ ...dstParent, mtime: tx.now }, 1 - replaced, max, dstParentText));
  }
  tx.onCommit(() => {
    ctx.runner.forgetPath(src);
    ctx.runner.forgetPath(dst);
    if (isDirectory(moved)) ctx.runner.rememberPath(dst, moved);
  });
  return true;
}
