import type { DiffListing, DiffListingEntry } from '../../../namenode/domain/snapshot-diff';
import { FIRST_PAGE, pageOf, type DiffCursor } from '../../../namenode/ops/snapshot-diff-pages';

/** A directory's modified entry (itself), a child created or deleted under directory `dirId`, a modified file. */
const dir = (dirId: number, path: string): DiffListingEntry => ({ dirId, fileId: dirId, path, isReference: true });
const child = (dirId: number, fileId: number, path: string): DiffListingEntry => ({ dirId, fileId, path, isReference: false });

// Root (1) lost d and gained n; a (2) gained a/x, a/y, a/z; a-c (3) lost a-c/q; file b (4) changed.
const listing: DiffListing = {
  modified: [dir(1, ''), dir(2, 'a'), dir(3, 'a-c'), { dirId: 4, fileId: 4, path: 'b', isReference: false }],
  created: [child(1, 10, 'n'), child(2, 11, 'a/x'), child(2, 12, 'a/y'), child(2, 13, 'a/z')],
  deleted: [child(1, 14, 'd'), child(3, 15, 'a-c/q')],
};
const show = (l: DiffListing) => [...l.modified.map((e) => `M ${e.path}`), ...l.created.map((e) => `+ ${e.path}`), ...l.deleted.map((e) => `- ${e.path}`)];

/** What DistributedFileSystem does: ask from the cursor answered until it is (empty, -1) again. */
function allPages(limit: number): { pages: string[][]; cursors: DiffCursor[] } {
  const pages: string[][] = [];
  const cursors: DiffCursor[] = [];
  let cursor = FIRST_PAGE;
  do {
    const { page, next } = pageOf(listing, cursor, limit);
    pages.push(show(page));
    cursors.push(next);
    cursor = next;
    if (pages.length > 100) throw new Error('the cursor never came back to the first page');
  } while (cursor.startPath !== '' || cursor.index !== -1);
  return { pages, cursors };
}

test("pages of at most the limit, walked as HDFS's SnapshotDiffListingInfo walks: a directory's entry, its created then deleted children, depth first", () => {
  const { pages, cursors } = allPages(3);
  expect(pages).toEqual([['M ', '+ n', '- d'], ['M a', '+ a/x', '+ a/y'], ['M a-c', '+ a/z', '- a-c/q'], ['M b']]);
  // The cursor names the directory (or file) the next page starts at and the child index there (-1: its own entry).
  expect(cursors).toEqual([
    { startPath: 'a', index: -1 },
    { startPath: 'a', index: 2 },
    { startPath: 'b', index: -1 },
    FIRST_PAGE,
  ]);
});

test('every limit yields every entry exactly once; one page when the limit holds them all', () => {
  const everything = show(listing).sort();
  for (let limit = 1; limit <= 11; limit++) {
    const { pages } = allPages(limit);
    expect(pages.every((p) => p.length <= limit)).toBe(true);
    expect(pages.flat().sort()).toEqual(everything);
  }
  expect(allPages(10).pages).toHaveLength(1);
  expect(allPages(1).pages).toHaveLength(10);
});

test('a cursor past the end, or at a path no longer changed, resumes at the next place and never loops', () => {
  expect(pageOf(listing, { startPath: 'zzz', index: -1 }, 5)).toEqual({ page: { modified: [], created: [], deleted: [] }, next: FIRST_PAGE });
  expect(show(pageOf(listing, { startPath: 'a/gone', index: 7 }, 5).page)).toEqual(['M a-c', 'M b', '- a-c/q']);
  expect(show(pageOf(listing, { startPath: 'a', index: 99 }, 5).page)).toEqual(['M a-c', 'M b', '- a-c/q']);
  expect(show(pageOf(listing, { startPath: '', index: -7 }, 2).page)).toEqual(['+ n', '- d']);
});
