import type { InodeRow } from '../../../namenode/dal/inode-row';
import { parsePath } from '../../../namenode/path/hdfs-path';
import { footprintOf, partitionApart, pathsOverlap, reachOf } from '../../../namenode/tx/group-batches';
import type { LockSpec } from '../../../namenode/tx/lock-plan';
import { renameLockSpecs } from '../../../namenode/ops/rename-plan';
import type { Resolution } from '../../../namenode/tx/path-resolver';
import { dirRow } from '../../fakes/row-fixtures';
import { ROOT_INODE_ID } from '../../../schema/tables';

const root = dirRow(ROOT_INODE_ID, 0, '');
const d = dirRow(10, ROOT_INODE_ID, 'd');

/** A write on `path`, resolved down to `rows` (fewer than its components + 1: the rest is missing). */
const member = (path: string, rows: InodeRow[]) => {
  const p = parsePath(path);
  const specs: LockSpec[] = [{ path: p, parent: 'none', target: 'exclusive' }];
  const resolutions: Resolution[] = [{ path: p, rows, throughFile: false }];
  return { path, reach: reachOf(specs, resolutions), footprint: footprintOf(specs, resolutions) };
};

/** A write that locks both parents exclusively and rewrites them (no touch declared), with the rows each resolved to. */
const renameOf = (src: string, srcRows: InodeRow[], dst: string, dstRows: InodeRow[]) => {
  const [s, t] = [parsePath(src), parsePath(dst)];
  const specs: LockSpec[] = [
    { path: s, parent: 'exclusive', target: 'exclusive' },
    { path: t, parent: 'exclusive', target: 'exclusive' },
  ];
  const resolutions: Resolution[] = [
    { path: s, rows: srcRows, throughFile: false },
    { path: t, rows: dstRows, throughFile: false },
  ];
  return { path: `${src}>${dst}`, footprint: footprintOf(specs, resolutions) };
};

test('paths overlap when one is the other or beneath it', () => {
  expect(pathsOverlap(['d', 'a'], ['d', 'a'])).toBe(true);
  expect(pathsOverlap(['d'], ['d', 'a', 'b'])).toBe(true);
  expect(pathsOverlap(['d', 'a'], ['d', 'b'])).toBe(false);
  expect(pathsOverlap(['d', 'ab'], ['d', 'a'])).toBe(false);
  expect(pathsOverlap([], ['d'])).toBe(true);
});

test('a write reaches from its first missing component: creates with parents into one missing directory overlap', () => {
  expect(member('/d/x', [root, d]).reach).toEqual([['d', 'x']]);
  expect(member('/n/x', [root]).reach).toEqual([['n']]);
  expect(member('/n/y', [root]).reach).toEqual([['n']]);
});

test('members on paths apart share a batch; overlapping ones go to later batches, in arrival order, never before what they overlap', () => {
  const ms = [member('/d/a', [root, d]), member('/d/a', [root, d]), member('/d/b', [root, d]), member('/d/a', [root, d]), member('/n/x', [root]), member('/n/y', [root])];
  const batches = partitionApart(ms, (m) => m.footprint, 64);
  expect(batches.map((b) => b.map((m) => m.path))).toEqual([['/d/a', '/d/b', '/n/x'], ['/d/a', '/n/y'], ['/d/a']]);
  // The size limit opens a new batch.
  const many = Array.from({ length: 5 }, (_, i) => member(`/d/f${i}`, [root, d]));
  expect(partitionApart(many, (m) => m.footprint, 2).map((b) => b.length)).toEqual([2, 2, 1]);
});

test('renames that touch their locked parents (renameLockSpecs) share a batch however many of them move out of or into one directory', () => {
  const e = dirRow(11, ROOT_INODE_ID, 'e');
  const a = dirRow(12, 10, 'a');
  const x = dirRow(13, 10, 'x');
  const rename = (src: string, srcRows: InodeRow[], dst: string, dstRows: InodeRow[]) => {
    const specs = renameLockSpecs(parsePath(src), parsePath(dst));
    const resolutions: Resolution[] = [
      { path: parsePath(src), rows: srcRows, throughFile: false },
      { path: parsePath(dst), rows: dstRows, throughFile: false },
    ];
    return { path: `${src}>${dst}`, footprint: footprintOf(specs, resolutions) };
  };
  const ms = [rename('/d/a', [root, d, a], '/d/b', [root, d]), rename('/d/x', [root, d, x], '/e/x', [root, e]), member('/d/c', [root, d]), rename('/d/b', [root, d], '/d/z', [root, d])];
  expect(ms[0]?.footprint).toEqual({ reach: [['d', 'a'], ['d', 'b']], rewrites: [] });
  // The last one renames what the first makes: it overlaps it, and follows it.
  expect(partitionApart(ms, (m) => m.footprint, 64).map((b) => b.map((m) => m.path))).toEqual([['/d/a>/d/b', '/d/x>/e/x', '/d/c'], ['/d/b>/d/z']]);
});

test('renames that rewrite one directory row go to successive batches; touches of it (creates, deletes) share a batch with them', () => {
  const e = dirRow(11, ROOT_INODE_ID, 'e');
  const a = dirRow(12, 10, 'a');
  const ms = [
    renameOf('/d/a', [root, d, a], '/d/b', [root, d]),
    member('/d/c', [root, d]),
    renameOf('/d/x', [root, d, a], '/e/y', [root, e]),
    renameOf('/e/p', [root, e, a], '/e/q', [root, e]),
    member('/e/r', [root, e]),
  ];
  expect(ms[0]?.footprint).toEqual({ reach: [['d', 'a'], ['d', 'b']], rewrites: [['d'], ['d']] });
  // The creates only touch /d and /e: they join the first batch. /d/x>/e/y rewrites /d as the first rename
  // does; /e/p>/e/q rewrites /e as that one does, so it runs after it, in a third batch.
  expect(partitionApart(ms, (m) => m.footprint, 64).map((b) => b.map((m) => m.path))).toEqual([['/d/a>/d/b', '/d/c', '/e/r'], ['/d/x>/e/y'], ['/e/p>/e/q']]);
  // A rename under the root rewrites the root's row.
  expect(renameOf('/a', [root, a], '/b', [root]).footprint.rewrites).toEqual([[], []]);
});
