import { keyOf, type InodeKey, type InodeRow } from '../../../namenode/dal/inode-row';
import { parsePath } from '../../../namenode/path/hdfs-path';
import { HintCache } from '../../../namenode/tx/hint-cache';
import { resolvePath, type Lookup } from '../../../namenode/tx/path-resolver';
import { ROOT_INODE_ID } from '../../../schema/tables';
import { dirRow, fileRow } from '../../fakes/row-fixtures';

const root = dirRow(ROOT_INODE_ID, 0, '');
const a = dirRow(100, ROOT_INODE_ID, 'a');
const b = dirRow(101, 100, 'b');
const c = dirRow(102, 101, 'c');
const f = fileRow(103, 100, 'f');

/** A lookup over a Map of rows that records every call's keys (each call is one round trip). */
function lookupOver(rows: readonly InodeRow[]): { lookup: Lookup; calls: InodeKey[][] } {
  const byKey = new Map(rows.map((r) => [keyOf(r), r]));
  const calls: InodeKey[][] = [];
  const lookup: Lookup = async (keys) => {
    calls.push([...keys]);
    return keys.map((k) => byKey.get(keyOf(k)));
  };
  return { lookup, calls };
}

test('cold: one lookup for the first component, then level by level; the cache fills', async () => {
  const cache = new HintCache();
  const { lookup, calls } = lookupOver([root, a, b, c]);
  const res = await resolvePath(parsePath('/a/b/c'), cache, lookup);
  expect(res.rows).toEqual([root, a, b, c]);
  expect(res.throughFile).toBe(false);
  expect(calls.map((keys) => keys.map((k) => k.name))).toEqual([['', 'a'], ['b'], ['c']]);
  expect([cache.get('/a'), cache.get('/a/b'), cache.get('/a/b/c')]).toEqual([100, 101, 102]);
});

test('warm: every component in one batched lookup', async () => {
  const cache = new HintCache();
  const { lookup, calls } = lookupOver([root, a, b, c]);
  await resolvePath(parsePath('/a/b/c'), cache, lookup);
  calls.length = 0;
  const res = await resolvePath(parsePath('/a/b/c'), cache, lookup);
  expect(res.rows).toEqual([root, a, b, c]);
  expect(calls).toEqual([
    [
      { parentId: 0, name: '' },
      { parentId: ROOT_INODE_ID, name: 'a' },
      { parentId: 100, name: 'b' },
      { parentId: 101, name: 'c' },
    ],
  ]);
});

test('a stale hint is dropped and the walk goes on level by level from the last valid row', async () => {
  const cache = new HintCache();
  cache.set('/a', 999); // /a was replaced by another inode since
  cache.set('/a/b', 998);
  const { lookup, calls } = lookupOver([root, a, b, c]);
  const res = await resolvePath(parsePath('/a/b/c'), cache, lookup);
  expect(res.rows).toEqual([root, a, b, c]);
  expect(calls).toHaveLength(4); // the batched try, then a, b, c
  expect(calls.slice(1).map((keys) => keys.map((k) => [k.parentId, k.name]))).toEqual([[[ROOT_INODE_ID, 'a']], [[100, 'b']], [[101, 'c']]]);
  expect(cache.get('/a')).toBe(100);
  expect(cache.get('/a/b')).toBe(101);
});

test('a hinted key that is missing ends the walk: the component does not exist', async () => {
  const cache = new HintCache();
  cache.set('/a', 100);
  const { lookup } = lookupOver([root, a]);
  const res = await resolvePath(parsePath('/a/b/c'), cache, lookup);
  expect(res.rows).toEqual([root, a]);
  expect(res.throughFile).toBe(false);
});

test('a path through a file stops at the file', async () => {
  const cache = new HintCache();
  const { lookup } = lookupOver([root, a, f]);
  const res = await resolvePath(parsePath('/a/f/x/y'), cache, lookup);
  expect(res.rows).toEqual([root, a, f]);
  expect(res.throughFile).toBe(true);
});

test('a warm path through a file stops at the file too', async () => {
  const cache = new HintCache();
  cache.set('/a', 100);
  cache.set('/a/f', 103);
  const { lookup } = lookupOver([root, a, f]);
  const res = await resolvePath(parsePath('/a/f/x'), cache, lookup);
  expect(res.rows).toEqual([root, a, f]);
  expect(res.throughFile).toBe(true);
});

test('missing components: the rows that exist, not through a file', async () => {
  const { lookup } = lookupOver([root, a]);
  const res = await resolvePath(parsePath('/a/nope/deeper'), new HintCache(), lookup);
  expect(res.rows).toEqual([root, a]);
  expect(res.throughFile).toBe(false);
});

test('the root resolves alone; a missing root is an unformatted namespace', async () => {
  expect((await resolvePath(parsePath('/'), new HintCache(), lookupOver([root]).lookup)).rows).toEqual([root]);
  await expect(resolvePath(parsePath('/a'), new HintCache(), lookupOver([]).lookup)).rejects.toThrow(/root inode is missing/);
});
