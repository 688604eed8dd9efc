import { isDirectory, type InodeRow } from '../dal/inode-row';
import { accessDenied, fileNotFound, NamesystemError } from '../errors';
import type { HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import type { LockedPath } from '../tx/lock-plan';
import { checkTraverse } from '../security/permission-checker';
import { prefixText, resolutionTarget, type Resolution } from '../tx/path-resolver';
import type { FileBlockRowSet } from '../dal/block-repository';
import type { ReadContext } from '../tx/transaction-runner';
import { checkNoLink } from '../tx/unresolved-link';

/** A read's target with the rows above it (root first), for what ancestors decide (storage policy). */
export interface ResolvedTarget {
  readonly target: InodeRow | undefined;
  readonly rows: readonly InodeRow[];
}

/**
 * The read operations' common first step: resolve `path` (coalesced, no
 * locks), check EXECUTE on every directory on the way, refuse a path
 * through a symlink (UnresolvedPathException, which the client resolves),
 * and answer the target — undefined when it does not exist. A file in the
 * way is HDFS's traverse check failing: FSDirectory.resolvePath turns its
 * ParentNotDirectoryException into an AccessControlException for every
 * operation that creates nothing, superusers included (getFileInfo alone
 * answers them null). `followLink` false lets the final component be a
 * link: the operation is about the link itself (getFileLinkInfo).
 */
export function resolveTargetRows(r: ReadContext, caller: Caller, path: HdfsPath, followLink = true): Promise<ResolvedTarget> {
  // Not async: one reaction on the resolution; r.resolve answers a promise (a failure there is a rejection).
  return r.resolve(path).then((res) => checkedTarget(caller, path, res, followLink));
}

/** resolveTarget for getBlockLocations: the target with its block rows when the lookup brought them (ReadContext.resolveWithBlocks). */
export function resolveTargetWithBlocks(r: ReadContext, caller: Caller, path: HdfsPath): Promise<{ target: InodeRow | undefined; blocks: FileBlockRowSet | undefined }> {
  // Not async, as resolveTargetRows: one reaction on the resolution.
  return r.resolveWithBlocks(path).then(({ resolution, files }) => {
    const { target } = checkedTarget(caller, path, resolution, true);
    return { target, blocks: target && files.get(target.id) };
  });
}

function checkedTarget(caller: Caller, path: HdfsPath, res: Resolution, followLink: boolean): ResolvedTarget {
  checkTraverse(caller, res.rows, Math.min(res.rows.length, path.components.length), (d) => prefixText(path, d));
  checkNoLink(path, res.rows, followLink);
  if (res.throughFile) throw notADirectory(path, res.rows.length - 1);
  return { target: resolutionTarget(res), rows: res.rows };
}

/** FSPermissionChecker.checkIsDirectory's words, as resolvePath rethrows them (AccessControlException). */
export const notADirectory = (path: HdfsPath, depth: number): NamesystemError => accessDenied(`${prefixText(path, depth)} (is not a directory)`);

export async function resolveTarget(r: ReadContext, caller: Caller, path: HdfsPath, followLink = true): Promise<InodeRow | undefined> {
  return (await resolveTargetRows(r, caller, path, followLink)).target;
}

/**
 * resolvePath for a write that creates nothing at `lp` (DirOp.WRITE or
 * WRITE_LINK), on the locked rows: EXECUTE on every directory on the way,
 * then a file in the way answers AccessControlException, superusers too
 * (resolvePath rethrows the traverse check's ParentNotDirectoryException
 * for every operation but create, mkdirs, createSymlink and the rename
 * destination).
 */
export function checkWriteTraverse(caller: Caller, lp: LockedPath): void {
  checkTraverse(caller, lp.rows, lp.path.components.length, (d) => prefixText(lp.path, d));
  if (lp.throughFile) throw notADirectory(lp.path, lp.rows.length - 1);
}

/** INodeDirectory.valueOf in a write that locked the path: traverse, then a directory there, with Hadoop's answers for a missing path and a file. */
export function directoryTarget(caller: Caller, lp: Pick<LockedPath, 'rows' | 'target'>, path: HdfsPath): InodeRow {
  checkTraverse(caller, lp.rows, path.components.length, (d) => prefixText(path, d));
  const dir = lp.target;
  if (!dir) throw fileNotFound(`Directory does not exist: ${path.text}`);
  if (!isDirectory(dir)) throw new NamesystemError('PathIsNotDirectory', `\`${path.text}': Is not a directory`);
  return dir;
}
