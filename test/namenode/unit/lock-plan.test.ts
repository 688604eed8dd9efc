import type { InodeRow } from '../../../namenode/dal/inode-row';
import { parsePath } from '../../../namenode/path/hdfs-path';
import { planLocks, validateLocks, type LockSpec } from '../../../namenode/tx/lock-plan';
import { RowsByKey } from '../../../namenode/tx/rows-by-key';
import type { Resolution } from '../../../namenode/tx/path-resolver';
import type { HintedPath } from '../../../namenode/tx/hinted-path';
import { StaleResolution } from '../../../namenode/tx/stale-resolution';
import { dirRow, fileRow } from '../../fakes/row-fixtures';
import { ROOT_INODE_ID } from '../../../schema/tables';

const root = dirRow(ROOT_INODE_ID, 0, '');
// Ids chosen so that ordering by id alone would differ from ordering by depth then id.
const x = dirRow(300, ROOT_INODE_ID, 'x');
const y = dirRow(301, 300, 'y');
const a = dirRow(200, ROOT_INODE_ID, 'a');
const b = dirRow(120, 200, 'b');
const f = fileRow(400, ROOT_INODE_ID, 'f');

const spec = (path: string, parent: LockSpec['parent'], target: LockSpec['target']): LockSpec => ({ path: parsePath(path), parent, target });
const resolved = (path: string, rows: InodeRow[], throughFile = false): Resolution => ({ path: parsePath(path), rows, throughFile });
const ids = (keys: readonly { parentId: number; name: string }[], rows: InodeRow[]) =>
  keys.map((k) => rows.find((r) => r.parentId === k.parentId && r.name === k.name)?.id);

test('rows of several paths are locked by depth, then id; runs of one mode share a statement', () => {
  const { groups, missing } = planLocks(
    [spec('/x/y', 'exclusive', 'exclusive'), spec('/a/b', 'shared', 'shared')],
    [resolved('/x/y', [root, x, y]), resolved('/a/b', [root, a, b])],
  );
  const all = [root, x, y, a, b];
  expect(groups.map((g) => ({ mode: g.mode, ids: ids(g.keys, all) }))).toEqual([
    { mode: 'shared', ids: [ROOT_INODE_ID, 200] },
    { mode: 'exclusive', ids: [300] },
    { mode: 'shared', ids: [120] },
    { mode: 'exclusive', ids: [301] },
  ]);
  expect(missing).toEqual([]);
});

test('a row shared by one path and exclusive for another is locked exclusive, once', () => {
  const { groups } = planLocks(
    [spec('/a', 'exclusive', 'shared'), spec('/a/b', 'exclusive', 'exclusive')],
    [resolved('/a', [root, a]), resolved('/a/b', [root, a, b])],
  );
  expect(groups).toHaveLength(1);
  expect(groups[0]?.mode).toBe('exclusive');
  expect(ids(groups[0]?.keys ?? [], [root, a, b])).toEqual([ROOT_INODE_ID, 200, 120]);
});

test('ancestors above the parent are only share-locked', () => {
  const { groups } = planLocks([spec('/a/b/c', 'exclusive', 'exclusive')], [resolved('/a/b/c', [root, a, b])]);
  expect(groups.map((g) => [g.mode, g.keys.length])).toEqual([
    ['shared', 2],
    ['exclusive', 1],
  ]);
});

test('the deepest existing ancestor of a missing path takes the parent mode, and the first missing key is re-read', () => {
  const { groups, missing } = planLocks([spec('/a/b/c/d', 'exclusive', 'shared')], [resolved('/a/b/c/d', [root, a])]);
  expect(groups.map((g) => ({ mode: g.mode, ids: ids(g.keys, [root, a]) }))).toEqual([
    { mode: 'shared', ids: [ROOT_INODE_ID] },
    { mode: 'exclusive', ids: [200] },
  ]);
  expect(missing).toEqual([{ parentId: 200, name: 'b' }]);
});

describe('directories touched at commit (create, mkdirs, delete, createSymlink)', () => {
  const touching = (path: string): LockSpec => ({ path: parsePath(path), parent: 'none', target: 'exclusive', touchesParent: true });
  const modes = (groups: { mode: string; keys: readonly { parentId: number; name: string }[] }[], rows: InodeRow[]) => groups.map((g) => ({ mode: g.mode, ids: ids(g.keys, rows) }));

  test('a missing parent locks the deepest existing ancestor exclusively, where the new directory goes', () => {
    // create /a/n/f with createParent (n missing) beside create /a/b/g into an existing b: a is an ancestor of the second.
    const { groups, missing } = planLocks([touching('/a/n/f'), touching('/a/b/g')], [resolved('/a/n/f', [root, a]), resolved('/a/b/g', [root, a, b])]);
    expect(modes(groups, [root, a, b])).toEqual([
      { mode: 'shared', ids: [ROOT_INODE_ID] },
      { mode: 'exclusive', ids: [200] },
      // An existing parent nobody passes through stays unlocked, touched last.
      { mode: 'none', ids: [120] },
    ]);
    expect(missing).toEqual([
      { parentId: 200, name: 'n' },
      { parentId: 120, name: 'g' },
    ]);
  });

  test('a touched parent that another path passes through is locked exclusively up front, not share-locked and upgraded by the touch', () => {
    // create /a/f (a touched) beside create /a/b/g (a an ancestor: shared): NNThroughputBenchmark's files sit beside its subdirectories.
    const { groups } = planLocks([touching('/a/f'), touching('/a/b/g')], [resolved('/a/f', [root, a]), resolved('/a/b/g', [root, a, b])]);
    expect(modes(groups, [root, a, b])).toEqual([
      { mode: 'shared', ids: [ROOT_INODE_ID] },
      { mode: 'exclusive', ids: [200] },
      { mode: 'none', ids: [120] },
    ]);
    // The same through hinted paths.
    const hinted = planLocks(
      [touching('/a/f'), touching('/a/b/g')],
      [
        { path: parsePath('/a/f'), ids: [ROOT_INODE_ID, 200] },
        { path: parsePath('/a/b/g'), ids: [ROOT_INODE_ID, 200, 120] },
      ],
    ).groups;
    expect(hinted.find((g) => g.keys.some((k) => k.parentId === ROOT_INODE_ID && k.name === 'a'))?.mode).toBe('exclusive');
  });

  test('an unlocked parent that is not touched (complete, addBlock) stays as the other paths ask', () => {
    const { groups } = planLocks([spec('/a/f', 'none', 'exclusive'), touching('/a/b/g')], [resolved('/a/f', [root, a, f]), resolved('/a/b/g', [root, a, b])]);
    expect(groups.find((g) => g.keys.some((k) => k.name === 'a'))?.mode).toBe('shared');
    // A missing parent of a write that touches nothing fails without a lock on the ancestor above it.
    expect(planLocks([spec('/a/n/f', 'none', 'exclusive')], [resolved('/a/n/f', [root, a])]).groups.find((g) => g.keys.some((k) => k.name === 'a'))?.mode).toBe('none');
  });
});

test('a path through a file has no missing key and the file stays shared', () => {
  const { groups, missing } = planLocks([spec('/f/x/y', 'exclusive', 'exclusive')], [resolved('/f/x/y', [root, f], true)]);
  expect(missing).toEqual([]);
  expect(groups).toEqual([{ mode: 'shared', keys: [root, f] }]);
});

test('the same missing key asked by two paths is re-read once', () => {
  const { missing } = planLocks(
    [spec('/a/b', 'exclusive', 'exclusive'), spec('/a/b/c', 'exclusive', 'exclusive')],
    [resolved('/a/b', [root, a]), resolved('/a/b/c', [root, a])],
  );
  expect(missing).toEqual([{ parentId: 200, name: 'b' }]);
});

test('the root, which carries the safe mode, is always locked: exclusively where a write directly under / leaves its parent unlocked', () => {
  const plain = (path: string, rows: InodeRow[]) => planLocks([spec(path, 'none', 'exclusive')], [resolved(path, rows)]).groups.map((g) => ({ mode: g.mode, ids: ids(g.keys, [root, ...rows]) }));
  // create /g (missing): the root is the parent a create leaves unlocked; its touch at commit needs it exclusive anyway.
  expect(plain('/g', [root])).toEqual([{ mode: 'exclusive', ids: [ROOT_INODE_ID] }]);
  // complete /f: the root as the parent, the file exclusive after it.
  expect(plain('/f', [root, f])).toEqual([{ mode: 'exclusive', ids: [ROOT_INODE_ID, 400] }]);
  // One level deeper the root is an ancestor, share-locked, and the unlocked parent stays unlocked (last).
  expect(plain('/a/b', [root, a, b])).toEqual([
    { mode: 'shared', ids: [ROOT_INODE_ID] },
    { mode: 'exclusive', ids: [120] },
    { mode: 'none', ids: [200] },
  ]);
  // A hinted path directly under /, too.
  const hintedUnderRoot = planLocks([spec('/g', 'none', 'exclusive')], [{ path: parsePath('/g'), ids: [ROOT_INODE_ID] }]).groups;
  expect(hintedUnderRoot).toEqual([
    {
      mode: 'exclusive',
      keys: [
        { parentId: 0, name: '' },
        { parentId: ROOT_INODE_ID, name: 'g' },
      ],
    },
  ]);
});

describe('validateLocks', () => {
  const specs = [spec('/a/b', 'exclusive', 'exclusive'), spec('/x/y/z', 'exclusive', 'exclusive')];
  const resolutions = [resolved('/a/b', [root, a, b]), resolved('/x/y/z', [root, x, y])];

  test('hands over the rows as locked (fresh), with target and parent', () => {
    const freshB = { ...b, permission: 0o700 };
    const [ab, xyz] = validateLocks(specs, resolutions, [root, a, freshB, x, y]);
    expect(ab?.target).toBe(freshB);
    expect(ab?.parent).toBe(a);
    expect(ab?.rows).toEqual([root, a, freshB]);
    expect(xyz?.target).toBeUndefined();
    expect(xyz?.parent).toBe(y);
  });

  test('a group’s members share one index of the rows: each answer is what the rows themselves give', () => {
    const rows = [root, a, { ...b, permission: 0o700 }, x, y];
    const shared = new RowsByKey(rows);
    expect(validateLocks([specs[0]!], [resolutions[0]!], shared)).toEqual(validateLocks([specs[0]!], [resolutions[0]!], rows));
    expect(validateLocks([specs[1]!], [resolutions[1]!], shared)).toEqual(validateLocks([specs[1]!], [resolutions[1]!], rows));
    expect(() => validateLocks([specs[0]!], [resolutions[0]!], new RowsByKey([root, a, x, y]))).toThrow(StaleResolution);
  });

  test('a row gone since resolution is stale', () => {
    expect(() => validateLocks(specs, resolutions, [root, a, x, y])).toThrow(StaleResolution);
  });

  test('a row whose key now holds another inode (moved, replaced) is stale', () => {
    expect(() => validateLocks(specs, resolutions, [root, a, { ...b, id: 999 }, x, y])).toThrow(StaleResolution);
  });

  test('a missing key that appeared meanwhile is stale', () => {
    expect(() => validateLocks(specs, resolutions, [root, a, b, x, y, dirRow(777, 301, 'z')])).toThrow(StaleResolution);
  });

  test('a missing path deeper than the parent has neither target nor parent', () => {
    const [lp] = validateLocks([spec('/a/q/r', 'exclusive', 'exclusive')], [resolved('/a/q/r', [root, a])], [root, a]);
    expect(lp?.target).toBeUndefined();
    expect(lp?.parent).toBeUndefined();
    expect(lp?.rows).toEqual([root, a]);
  });
});

describe('hinted paths (no resolution read: keys from the hint cache)', () => {
  const hinted = (path: string, ids: number[]): HintedPath => ({ path: parsePath(path), ids });

  test('every component is read by its hinted key in its mode; an unhinted target after its depth\'s known ids', () => {
    const { groups, missing } = planLocks(
      [spec('/x/y/new', 'none', 'exclusive'), spec('/a/b', 'exclusive', 'exclusive')],
      [hinted('/x/y/new', [ROOT_INODE_ID, 300, 301]), resolved('/a/b', [root, a, b])],
    );
    expect(missing).toEqual([]);
    // By depth, then id (root; a 200, x 300; b 120, then the unhinted 'new' at depth 3); the unlocked parent y last, after every lock.
    expect(groups.map((g) => ({ mode: g.mode, keys: g.keys.map((k) => `${k.parentId}/${k.name}`) }))).toEqual([
      { mode: 'shared', keys: ['0/'] },
      { mode: 'exclusive', keys: [`${ROOT_INODE_ID}/a`] },
      { mode: 'shared', keys: [`${ROOT_INODE_ID}/x`] },
      { mode: 'exclusive', keys: ['200/b', '301/new'] },
      { mode: 'none', keys: ['300/y'] },
    ]);
  });

  test('hinted targets of unknown id are ordered by key, whatever order the paths came in', () => {
    const paths = ['/x/b', '/x/a', '/a/c'];
    const plans = [paths, [...paths].reverse()].map((order) =>
      planLocks(order.map((p) => spec(p, 'shared', 'exclusive')), order.map((p) => hinted(p, [ROOT_INODE_ID, p.startsWith('/x') ? 300 : 200]))).groups,
    );
    expect(plans[0]).toEqual(plans[1]);
    expect(plans[0]?.find((g) => g.mode === 'exclusive')?.keys.map((k) => `${k.parentId}/${k.name}`)).toEqual(['200/c', '300/a', '300/b']);
  });

  test('rows found where the hints said: target and parent as a resolution\'s; a missing unhinted target is allowed', () => {
    const z = fileRow(500, 301, 'z');
    const [found] = validateLocks([spec('/x/y/z', 'none', 'exclusive')], [hinted('/x/y/z', [ROOT_INODE_ID, 300, 301])], [root, x, y, z]);
    expect(found).toMatchObject({ rows: [root, x, y, z], target: z, parent: y, throughFile: false });
    const [absent] = validateLocks([spec('/x/y/z', 'none', 'exclusive')], [hinted('/x/y/z', [ROOT_INODE_ID, 300, 301])], [root, x, y]);
    expect(absent).toMatchObject({ rows: [root, x, y], target: undefined, parent: y });
  });

  test('an ancestor gone or holding another id, or a hinted target gone or replaced, is stale', () => {
    const s = [spec('/x/y/z', 'none', 'exclusive')];
    expect(() => validateLocks(s, [hinted('/x/y/z', [ROOT_INODE_ID, 300, 301])], [root, x])).toThrow(StaleResolution);
    expect(() => validateLocks(s, [hinted('/x/y/z', [ROOT_INODE_ID, 300, 301])], [root, x, { ...y, id: 999 }])).toThrow(StaleResolution);
    expect(() => validateLocks(s, [hinted('/x/y/z', [ROOT_INODE_ID, 300, 301, 500])], [root, x, y])).toThrow(StaleResolution);
    expect(() => validateLocks(s, [hinted('/x/y/z', [ROOT_INODE_ID, 300, 301, 500])], [root, x, y, fileRow(501, 301, 'z')])).toThrow(StaleResolution);
  });

  test('a file as an ancestor ends the path there, as resolution does', () => {
    const [lp] = validateLocks([spec('/f/q', 'exclusive', 'exclusive')], [hinted('/f/q', [ROOT_INODE_ID, 400])], [root, f]);
    expect(lp).toMatchObject({ rows: [root, f], target: undefined, parent: f, throughFile: true });
  });
});
