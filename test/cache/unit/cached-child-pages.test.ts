import { TokenCache } from '../../../namenode/cache/token-cache';
import { listingToken } from '../../../namenode/dal/cache-tokens';
import { idToken, type InodeRow } from '../../../namenode/dal/inode-row';
import { CachedChildPages } from '../../../namenode/ops/cached-child-pages';
import type { ChildPageRequest } from '../../../namenode/tx/batched-reads';
import type { EntryCache } from '../../../namenode/tx/row-cache';
import { dirRow } from '../../fakes/row-fixtures';

/** An EntryCache on a TokenCache that always holds its lease. */
function entryCache(tokens: TokenCache): EntryCache {
  return {
    get epoch() {
      return tokens.epoch;
    },
    get: <V>(_kind: string, key: string) => tokens.get<V>(key),
    install: (key, value, bytes, names, e0) => {
      if (!tokens.mayInstall(names, e0)) return false;
      tokens.install(key, value, bytes, names);
      return true;
    },
  };
}

describe('CachedChildPages', () => {
  const children = (n: number): InodeRow[] => Array.from({ length: n }, (_, i) => dirRow(100 + i, 7, `c${String(i).padStart(2, '0')}`));

  function setUp(rows: InodeRow[], maxEntries: number) {
    const tokens = new TokenCache(1 << 20);
    const reads = { first: 0, direct: 0 };
    const pages = new CachedChildPages(entryCache(tokens), {
      direct: {
        get: async (r: ChildPageRequest) => {
          reads.direct++;
          return rows.filter((x) => x.name > r.startAfter).slice(0, 3);
        },
      },
      firstChildren: async (_parentId, limit) => {
        reads.first++;
        return rows.slice(0, limit);
      },
      pageSize: 3,
      maxEntries,
    });
    return { tokens, reads, pages };
  }

  test('a small directory is read once and paged from memory until its listing token is invalidated (every change of a child names it)', async () => {
    const { tokens, reads, pages } = setUp(children(5), 10);
    expect((await pages.get({ parentId: 7, startAfter: '' })).map((r) => r.name)).toEqual(['c00', 'c01', 'c02']);
    expect((await pages.get({ parentId: 7, startAfter: 'c02' })).map((r) => r.name)).toEqual(['c03', 'c04']);
    expect(await pages.get({ parentId: 7, startAfter: 'c04' })).toEqual([]);
    expect(reads).toEqual({ first: 1, direct: 0 });
    // Named by the directory alone: a child's id token (another listing's change of that row would carry this one's token too) keeps it.
    tokens.invalidate([idToken(103)]);
    await pages.get({ parentId: 7, startAfter: '' });
    expect(reads.first).toBe(1);
    tokens.invalidate([listingToken(7)]);
    await pages.get({ parentId: 7, startAfter: '' });
    expect(reads.first).toBe(2);
  });

  test('a read overtaken by an invalidation answers but is not kept', async () => {
    const rows = children(2);
    const tokens = new TokenCache(1 << 20);
    let first = 0;
    const pages = new CachedChildPages(entryCache(tokens), {
      direct: { get: async () => [] },
      firstChildren: async () => {
        first++;
        tokens.invalidate([listingToken(7)]); // a child inserted while the read was under way
        return rows;
      },
      pageSize: 3,
      maxEntries: 10,
    });
    expect((await pages.get({ parentId: 7, startAfter: '' })).length).toBe(2);
    await pages.get({ parentId: 7, startAfter: '' });
    expect(first).toBe(2);
  });

  test('a child held locked by a writer: the committed rows answer (unlocked) and nothing is kept', async () => {
    const rows = children(2);
    const tokens = new TokenCache(1 << 20);
    const reads = { first: 0, direct: 0 };
    let locked = true;
    const pages = new CachedChildPages(entryCache(tokens), {
      direct: {
        get: async () => {
          reads.direct++;
          return rows;
        },
      },
      firstChildren: async () => {
        reads.first++;
        return locked ? undefined : rows;
      },
      pageSize: 3,
      maxEntries: 10,
    });
    expect((await pages.get({ parentId: 7, startAfter: '' })).map((r) => r.name)).toEqual(['c00', 'c01']);
    expect(tokens.entries).toBe(0);
    locked = false;
    await pages.get({ parentId: 7, startAfter: '' });
    await pages.get({ parentId: 7, startAfter: '' });
    expect(reads).toEqual({ first: 2, direct: 1 });
  });

  test('a directory above maxEntries is remembered as too large: each page one direct read', async () => {
    const { reads, pages } = setUp(children(5), 4);
    expect((await pages.get({ parentId: 7, startAfter: '' })).map((r) => r.name)).toEqual(['c00', 'c01', 'c02']);
    expect((await pages.get({ parentId: 7, startAfter: 'c02' })).map((r) => r.name)).toEqual(['c03', 'c04']);
    expect(reads).toEqual({ first: 1, direct: 2 });
  });
});
