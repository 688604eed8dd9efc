import { effectiveStoragePolicy, storagePolicyById, storagePolicyByName } from '../../../namenode/domain/storage-policies';
import { resolvedPath } from '../../../namenode/ops/symlink';
import { parsePath } from '../../../namenode/path/hdfs-path';

// UnresolvedPathException.getResolvedPath as Hadoop's Path computes it: the link at `depth` of the path replaced by its target.
test.each([
  ['/a/link/b/c', 2, '/x/y', '/x/y/b/c'],
  ['/a/link', 2, '/x/y', '/x/y'],
  ['/a/link/b', 2, 'y', '/a/y/b'],
  ['/a/link/b', 2, '../y/./z/', '/y/z/b'],
  ['/link/b', 1, '..', '/b'],
  ['/a/link/b', 2, 'hdfs://other:8020/t', 'hdfs://other:8020/t/b'],
])('%s with the link at depth %i to %s resolves to %s', (path, depth, target, expected) => {
  expect(resolvedPath(parsePath(path), depth, target)).toBe(expected);
});

test('storage policies: names match in any case, UNSPECIFIED means the default (HOT), the nearest policy on the way wins', () => {
  expect(storagePolicyByName('all_ssd')?.id).toBe(12);
  expect(storagePolicyByName('LUKEWARM')).toBeUndefined();
  expect(storagePolicyById(0)?.name).toBe('HOT');
  expect(storagePolicyById(3)).toBeUndefined();
  expect(effectiveStoragePolicy([0, 2, 0, 0])).toBe(2);
  expect(effectiveStoragePolicy([0, 2, 12, 0])).toBe(12);
  expect(effectiveStoragePolicy([0, 0])).toBe(0);
});
