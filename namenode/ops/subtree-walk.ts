import { isDirectory, type InodeRow } from '../dal/inode-row';

/** Reads one page of a directory's children after `after`, at most `limit` rows, in name order. */
export type ChildPageReader = (parentId: number, after: string, limit: number) => Promise<InodeRow[]>;

/**
 * Walks the subtree under `root` depth first, one bounded page of one
 * directory per read, and hands each page to `visit` with the directory it
 * came from. Memory holds the directories still to visit, never
 * the tree: a million-file subtree is walked with pages of `limit` rows
 * (the rows of directories still to visit, at most depth × `limit`).
 * Answers the number of pages read.
 */
export async function walkPages(
  root: InodeRow,
  limit: number,
  readPage: ChildPageReader,
  visit: (parent: InodeRow, rows: readonly InodeRow[]) => void | Promise<void>,
): Promise<number> {
  const pending: InodeRow[] = isDirectory(root) ? [root] : [];
  let pages = 0;
  while (pending.length > 0) {
    const dir = pending.pop() as InodeRow;
    let after = '';
    for (;;) {
      const rows = await readPage(dir.id, after, limit);
      pages++;
      if (rows.length > 0) await visit(dir, rows);
      for (const r of rows) if (isDirectory(r)) pending.push(r);
      if (rows.length < limit) break;
      after = (rows[rows.length - 1] as InodeRow).name;
    }
  }
  return pages;
}
