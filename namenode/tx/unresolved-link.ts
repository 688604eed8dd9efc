import { InodeType, type InodeRow } from '../dal/inode-row';
import { unresolvedLink, type NamesystemError } from '../errors';
import type { HdfsPath } from '../path/hdfs-path';

/**
 * The symlink a resolution stops at, as HDFS's FSPermissionChecker finds
 * it: one in a non-final component always, the final component only when
 * the operation follows links (getFileInfo, create, setPermission…; not
 * getFileLinkInfo, delete, rename or createSymlink, which act on the link).
 * `rows` are the existing components, root first.
 */
export function linkInPath(path: HdfsPath, rows: readonly InodeRow[], followFinal: boolean): InodeRow | undefined {
  const last = rows[rows.length - 1];
  if (!last || last.type !== InodeType.Symlink) return undefined;
  const isFinal = rows.length - 1 === path.components.length;
  return !isFinal || followFinal ? last : undefined;
}

/**
 * HDFS answers UnresolvedPathException and the client resolves the link
 * itself (getLinkTarget, then the call again on the resolved path). The
 * message names the path only, as the exception's own fallback does: the
 * link's target is for getLinkTarget to hand out, after its permission check.
 */
export const unresolvedPath = (path: HdfsPath): NamesystemError => unresolvedLink(`Unresolved path ${path.text}`);

/** Throws UnresolvedPathException when the resolution meets a link it may not pass. */
export function checkNoLink(path: HdfsPath, rows: readonly InodeRow[], followFinal: boolean): void {
  if (linkInPath(path, rows, followFinal)) throw unresolvedPath(path);
}
