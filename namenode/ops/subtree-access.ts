import { isDirectory, type InodeRow } from '../dal/inode-row';
import type { Caller } from '../security/caller';
import { denial, FsAction, hasAccess } from '../security/permission-checker';

/**
 * Hadoop's subAccess=ALL with ignoreEmptyDir, the check of a recursive
 * delete and of a move to the trash: every non-empty directory of the
 * subtree (`rows`: the root and everything under it) needs rwx.
 */
export function checkSubtreeDeletable(caller: Caller, root: InodeRow, rows: readonly InodeRow[], rootPath: string): void {
  const nonEmpty = new Set(rows.filter((r) => r !== root).map((r) => r.parentId));
  for (const d of rows) {
    if (isDirectory(d) && nonEmpty.has(d.id) && !hasAccess(caller, d, FsAction.ALL)) {
      throw denial(caller, FsAction.ALL, d, d === root ? rootPath : `${rootPath}/…/${d.name}`);
    }
  }
}
