import { isNamesystemError } from '../../namenode/errors';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { fsck } from '../../namenode/fsck/fsck';
import { CreateFlag } from '../../namenode/ops/create';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

let f: NamesystemFixture;
beforeAll(async () => {
  f = await namesystemFixture('diritems', { maxDirectoryItems: 3 });
});
afterAll(() => f.close());

const create = (src: string, flags: number = CreateFlag.CREATE) =>
  f.ns.create(f.root, { src, masked: 0o644, clientName: 'DFSClient_items', clientMachine: '127.0.0.1', flags, createParent: true, replication: 1, blockSize: 1 << 20 });
const refusedFull = async (p: Promise<unknown>, dir: string) => {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isNamesystemError(e, 'MaxDirectoryItemsExceeded')).toBe(true);
  expect((e as Error).message).toBe(`The directory item limit of ${dir} is exceeded: limit=3 items=3`);
};

test('dfs.namenode.fs-limits.max-directory-items: a full directory refuses new entries of every kind, and takes them again once one goes', async () => {
  await create('/d/f1');
  await create('/d/f2');
  await f.ns.mkdirs(f.root, '/d/sub', 0o755, false);
  await refusedFull(create('/d/f3'), '/d');
  await refusedFull(f.ns.mkdirs(f.root, '/d/sub2/deep', 0o755, true), '/d');
  await create('/e/x');
  await refusedFull(f.ns.rename(f.root, '/e/x', '/d/x'), '/d');
  // Nothing of the refused calls happened.
  expect(await f.ns.getFileInfo(f.root, '/d/f3')).toBeUndefined();
  expect(await f.ns.getFileInfo(f.root, '/d/sub2')).toBeUndefined();
  expect(await f.ns.getFileInfo(f.root, '/e/x')).toBeDefined();
  // Replacing an entry, or renaming within the directory, adds none.
  await f.ns.complete(f.root, '/d/f1', 'DFSClient_items');
  await create('/d/f1', CreateFlag.CREATE | CreateFlag.OVERWRITE);
  expect(await f.ns.rename(f.root, '/d/f2', '/d/f2b')).toBe(true);
  // One goes, one may come.
  expect(await f.ns.delete(f.root, '/d/sub', true)).toBe(true);
  expect(await f.ns.rename(f.root, '/e/x', '/d/x')).toBe(true);
  await refusedFull(create('/d/y'), '/d');
  // The counts the rows keep match the rows (fsck's invariant).
  const report = await fsck(f.sqlDb, sqlRepositories.fsck);
  expect(report.problems).toEqual([]);
  await f.pool.query("UPDATE inodes SET children = children + 5 WHERE name = 'd'");
  const broken = await fsck(f.sqlDb, sqlRepositories.fsck);
  expect(broken.problems.map((p) => p.invariant)).toEqual(['directory whose child count differs from its children']);
  await f.pool.query("UPDATE inodes SET children = children - 5 WHERE name = 'd'");
});

test('concurrent creates into one directory from two namenodes: exactly the limit succeed, the mtime advances past every new entry, fsck finds the child count right', async () => {
  const other = f.other();
  const results = await Promise.all(
    Array.from({ length: 24 }, (_, i) =>
      (i % 2 === 0 ? f.ns : other)
        .create(f.root, { src: `/busy/f${i}`, masked: 0o644, clientName: `DFSClient_busy_${i}`, clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: true, replication: 1, blockSize: 1 << 20 })
        .then(
          () => 'created',
          (e: unknown) => (isNamesystemError(e, 'MaxDirectoryItemsExceeded') ? 'full' : String(e)),
        ),
    ),
  );
  expect(results.filter((r) => r === 'created')).toHaveLength(3);
  expect(results.filter((r) => r === 'full')).toHaveLength(21);
  const listing = await f.ns.getListing(f.root, '/busy', '');
  const dir = await f.ns.getFileInfo(f.root, '/busy');
  expect(listing?.entries).toHaveLength(3);
  expect(dir?.mtime).toBeGreaterThanOrEqual(Math.max(...(listing?.entries ?? []).map((e) => e.mtime)));
  expect((await fsck(f.sqlDb, sqlRepositories.fsck)).problems).toEqual([]);
});
