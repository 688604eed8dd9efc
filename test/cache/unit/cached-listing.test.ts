import { patchedListing } from '../../../namenode/dal/cached-listing';
import type { InodeRow } from '../../../namenode/dal/inode-row';
import { dirRow } from '../../fakes/row-fixtures';

/** A writer's listing patch (namenode/cache/README.md, *Writer's rows*): what the write's key and id tokens and its read-back rows make of the listing it dropped. */
const P = 10;
const row = (id: number, name: string, parentId = P, more: Partial<InodeRow> = {}): InodeRow => dirRow(id, parentId, name, more);
const names = (rows: readonly InodeRow[]) => rows.map((r) => `${r.id}:${r.name}`);
const before = [row(1, 'a'), row(2, 'c'), row(3, 'e')];

describe('patchedListing', () => {
  test('a create: the new child (named by key and id, read back) in name order', () => {
    expect(names(patchedListing(P, before, new Set(['d']), new Set([4]), [row(4, 'd')]))).toEqual(['1:a', '2:c', '4:d', '3:e']);
  });

  test('a child changed in place (a complete, a touch): its read-back row replaces the old one', () => {
    const out = patchedListing(P, before, new Set(['c']), new Set([2]), [row(2, 'c', P, { mtime: 99 })]);
    expect(names(out)).toEqual(['1:a', '2:c', '3:e']);
    expect(out[1]?.mtime).toBe(99);
  });

  test('a delete: the child named by its key goes; a rename within: old name out, the read-back row in', () => {
    expect(names(patchedListing(P, before, new Set(['c']), new Set(), []))).toEqual(['1:a', '3:e']);
    expect(names(patchedListing(P, before, new Set(['a']), new Set([1]), [row(1, 'z')]))).toEqual(['2:c', '3:e', '1:z']);
  });

  test('a rename out of the directory, and rows read back that belong to other directories, leave this one alone', () => {
    expect(names(patchedListing(P, before, new Set(['e']), new Set([3, 7]), [row(3, 'e', 11), row(7, 'b', 11)]))).toEqual(['1:a', '2:c']);
  });

  test('names in byte order, as the database lists a binary column', () => {
    expect(names(patchedListing(P, [row(1, 'B')], new Set(['a', 'é']), new Set([2, 3]), [row(2, 'a'), row(3, 'é')]))).toEqual(['1:B', '2:a', '3:é']);
  });
});
