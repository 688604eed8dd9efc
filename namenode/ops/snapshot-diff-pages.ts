import type { DiffListing, DiffListingEntry } from '../domain/snapshot-diff';

/**
 * SnapshotDiffReportListing's cursor: the path (below the snapshot root)
 * of the directory or file the next page starts at, and the index in that
 * directory's created-then-deleted children (-1: at its modified entry).
 * ('', -1) asks for the first page and, answered, says there is no more.
 */
export interface DiffCursor {
  readonly startPath: string;
  readonly index: number;
}

export const FIRST_PAGE: DiffCursor = { startPath: '', index: -1 };

/** One place the diff walks: a changed directory's entry and its changed children, or a modified file's entry. */
interface Unit {
  readonly path: string;
  readonly modified: DiffListingEntry | undefined;
  readonly children: readonly { readonly list: 'created' | 'deleted'; readonly entry: DiffListingEntry }[];
}

/** Component by component, as HDFS's depth-first walk meets the paths ('a' < 'a/b' < 'a-c'). */
const comparePaths = (p: string, q: string): number => {
  const [a, b] = [p === '' ? [] : p.split('/'), q === '' ? [] : q.split('/')];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = Buffer.compare(Buffer.from(a[i] as string), Buffer.from(b[i] as string));
    if (c !== 0) return c;
  }
  return a.length - b.length;
};

const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

/** The listing as HDFS's SnapshotDiffListingInfo walks it: each changed directory's modified entry, then its created, then its deleted children. */
function unitsOf(listing: DiffListing): Unit[] {
  const units = new Map<number, { path: string; modified: DiffListingEntry | undefined; children: Unit['children'][number][] }>();
  const files: Unit[] = [];
  for (const m of listing.modified) {
    if (m.isReference) units.set(m.dirId, { path: m.path, modified: m, children: [] });
    else files.push({ path: m.path, modified: m, children: [] });
  }
  for (const list of ['created', 'deleted'] as const) {
    for (const entry of listing[list]) {
      // Every changed child's directory has its modified entry; should one not, its children still get a place.
      const unit = units.get(entry.dirId) ?? { path: dirOf(entry.path), modified: undefined, children: [] };
      units.set(entry.dirId, unit);
      unit.children.push({ list, entry });
    }
  }
  return [...units.values(), ...files].sort((u, v) => comparePaths(u.path, v.path) || (u.modified?.isReference ? -1 : 1));
}

/**
 * One page of at most `limit` entries from `cursor` on, and the cursor of
 * the next (FIRST_PAGE when this one is the last), as HDFS's
 * SnapshotDiffListingInfo pages (dfs.namenode.snapshotdiff.listing.limit).
 */
export function pageOf(listing: DiffListing, cursor: DiffCursor, limit: number): { page: DiffListing; next: DiffCursor } {
  const page: DiffListing = { modified: [], created: [], deleted: [] };
  let taken = 0;
  const units = unitsOf(listing);
  // Resume at the cursor's place: the first unit at or after its path.
  let at = units.findIndex((u) => comparePaths(u.path, cursor.startPath) >= 0);
  if (at < 0) return { page, next: FIRST_PAGE };
  let index = units[at]?.path === cursor.startPath ? cursor.index : -1;
  for (; at < units.length; at++, index = -1) {
    const unit = units[at] as Unit;
    if (index === -1 && unit.modified) {
      if (taken >= limit) return { page, next: { startPath: unit.path, index: -1 } };
      page.modified.push(unit.modified);
      taken++;
    }
    for (let i = Math.max(0, index); i < unit.children.length; i++) {
      if (taken >= limit) return { page, next: { startPath: unit.path, index: i } };
      const { list, entry } = unit.children[i] as Unit['children'][number];
      page[list].push(entry);
      taken++;
    }
  }
  return { page, next: FIRST_PAGE };
}

/** A page's lists in path order (how one page reads; the client merges every page's lists anyway). */
export const sortedPage = (page: DiffListing): DiffListing => {
  const byPath = (p: DiffListingEntry, q: DiffListingEntry) => comparePaths(p.path, q.path);
  return { modified: [...page.modified].sort(byPath), created: [...page.created].sort(byPath), deleted: [...page.deleted].sort(byPath) };
};
