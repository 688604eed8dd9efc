import { isDirectory, isFile, type InodeRow } from '../dal/inode-row';
import { alreadyExists, fileNotFound, ioError, parentNotDirectory, type NamesystemError } from '../errors';
import { lastName, type HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, checkStickyBit, checkTraverse, FsAction } from '../security/permission-checker';
import type { LockedPath } from '../tx/lock-plan';
import type { OpContext } from '../tx/op-context';
import { prefixText } from '../tx/path-resolver';
import type { WriteContext } from '../tx/tx-contexts';
import { addedTo } from './directory-items';
import { removeInodes } from './remove-inodes';
import { checkWriteTraverse } from './resolve-target';
import { chargeRename, type CountedUsage } from './rename-quota';
import { refuseDeletingSnapshots } from './snapshot-guards';

/**
 * The legacy rename answers false for most failures; rename2 throws the
 * exception Hadoop throws. `fail` picks between the two.
 */
export type Fail = (error: NamesystemError) => false;

export const legacyFail: Fail = () => false;
export const strictFail: Fail = (e) => {
  throw e;
};

/** What a rename asks besides its paths. */
export interface RenameRequest {
  readonly caller: Caller;
  readonly overwrite: boolean;
  readonly fail: Fail;
  /** The trash policy's move: the source is checked as a recursive delete would be. */
  readonly toTrash: boolean;
}

/** A rename that passed its checks, under its locks. */
export interface RenamePlan {
  readonly s: LockedPath;
  readonly d: LockedPath;
  readonly moving: InodeRow;
  readonly srcParent: InodeRow;
  readonly dstParent: InodeRow;
  readonly existing: InodeRow | undefined;
}

/**
 * A symlink as either final component is renamed or replaced itself, not
 * followed (DirOp.WRITE_LINK, CREATE_LINK); both parents and targets are
 * locked exclusively. The parents stay locked for the whole transaction:
 * a directory moved under a destination whose ancestors another rename is
 * moving could close a cycle. But their rows are touched at commit, not
 * rewritten from the image read (applyRename): renames out of and into one
 * directory then share a group commit's transaction (group-batches.ts).
 */
export const renameLockSpecs = (srcPath: HdfsPath, dstPath: HdfsPath) =>
  [
    { path: srcPath, parent: 'exclusive', target: 'exclusive', followLink: false, touchesParent: true },
    { path: dstPath, parent: 'exclusive', target: 'exclusive', followLink: false, touchesParent: true },
  ] as const;

/**
 * Every check HDFS makes of a rename, under the locks: the plan to apply,
 * or the answer (the legacy rename's false, or true for a rename onto itself).
 */
export async function checkRename(req: RenameRequest, s: LockedPath, d: LockedPath, tx: WriteContext): Promise<RenamePlan | boolean> {
  const { caller, overwrite, fail } = req;
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
  }
  return { s, d, moving, srcParent: s.parent, dstParent, existing };
}

/**
 * Applies a checked rename: the moving row takes its new key, the parents
 * their child counts and mtimes, an overwritten destination goes; quota
 * directories above either side are charged (rename-quota.ts; `counted`:
 * the moved subtree's usage when the caller counted it already).
 */
export async function applyRename(ctx: OpContext, plan: RenamePlan, tx: WriteContext, counted?: CountedUsage): Promise<void> {
  const { s, d, moving, srcParent, dstParent, existing } = plan;
  const src = s.path;
  const dst = d.path;
  const dstParentText = prefixText(dst, dst.components.length - 1);
  if (existing) {
    refuseDeletingSnapshots(existing, dst.text);
    await removeInodes(tx, [existing], true);
  }
  const moved: InodeRow = { ...moving, parentId: dstParent.id, name: lastName(dst) };
  tx.changes.update(moving, moved);
  // The destination gains the moved entry and loses an overwritten one; the source loses it. Unless exact,
  // each parent's row (locked) is touched at commit by a guarded delta (addedTo), so the renames of a group
  // that share a parent add up; past max-directory-items the touch fails and the rename runs again exact.
  const max = ctx.config.maxDirectoryItems;
  const replaced = existing ? 1 : 0;
  if (dstParent.id === srcParent.id) {
    addedTo(tx, srcParent, -replaced, max, dstParentText);
  } else {
    addedTo(tx, srcParent, -1, max, prefixText(src, src.components.length - 1));
    addedTo(tx, dstParent, 1 - replaced, max, dstParentText);
  }
  await chargeRename(tx, { ancestors: s.rows.slice(0, src.components.length), path: src }, { ancestors: d.rows.slice(0, dst.components.length), path: dst }, moving, existing, counted);
  tx.onCommit(() => {
    ctx.runner.forgetPath(src);
    ctx.runner.forgetPath(dst);
    if (isDirectory(moved)) ctx.runner.rememberPath(dst, moved);
  });
}
