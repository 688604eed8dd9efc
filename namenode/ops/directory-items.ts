import type { InodeRow } from '../dal/inode-row';
import { NamesystemError } from '../errors';

/**
 * A directory after gaining (or losing) `delta` children. Growing past
 * dfs.namenode.fs-limits.max-directory-items is refused with Hadoop's
 * MaxDirectoryItemsExceededException (FSDirectory.verifyMaxDirItems). The
 * count lives on the directory's row, which every such operation already
 * locks and rewrites (its mtime): the check costs no query.
 */
export function withChildDelta(dir: InodeRow, delta: number, maxItems: number, path: string): InodeRow {
  if (delta > 0 && dir.children + delta > maxItems) {
    throw new NamesystemError('MaxDirectoryItemsExceeded', `The directory item limit of ${path} is exceeded: limit=${maxItems} items=${dir.children}`);
  }
  return { ...dir, children: Math.max(0, dir.children + delta) };
}
