import type { InodeRow } from '../../../namenode/dal/inode-row';
import { parsePath } from '../../../namenode/path/hdfs-path';
import { partitionApart, pathsOverlap, reachOf } from '../../../namenode/tx/group-batches';
import type { LockSpec } from '../../../namenode/tx/lock-plan';
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
  return { path, reach: reachOf(specs, resolutions) };
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
  const batches = partitionApart(ms, (m) => m.reach, 64);
  expect(batches.map((b) => b.map((m) => m.path))).toEqual([['/d/a', '/d/b', '/n/x'], ['/d/a', '/n/y'], ['/d/a']]);
  // The size limit opens a new batch.
  const many = Array.from({ length: 5 }, (_, i) => member(`/d/f${i}`, [root, d]));
  expect(partitionApart(many, (m) => m.reach, 2).map((b) => b.length)).toEqual([2, 2, 1]);
});
