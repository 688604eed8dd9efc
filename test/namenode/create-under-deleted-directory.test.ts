import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

let f: NamesystemFixture;
beforeAll(async () => {
  f = await namesystemFixture('createrace');
});
afterAll(() => f.close());

/**
 * An optimistic create (its directory read unlocked, touched by a guarded
 * UPDATE at commit, directory-items.ts) whose directory is deleted while
 * its touch waits for the deleter's lock: the touch matches no row, its
 * guard (inode-sql.ts MATCHED_ONE_ROW) refuses, and the create runs again
 * exact, where it finds the directory gone. Before the guard it committed
 * its row under a directory that no longer existed. The transaction below
 * stands in for a delete of the directory that read its children before
 * the create's row was there.
 */
test('a create whose directory is deleted while its touch waits fails, and leaves no row behind', async () => {
  await f.ns.mkdirs(f.root, '/race/d', 0o755, true);
  const d = Number((await f.ns.getFileInfo(f.root, '/race/d'))?.fileId);
  const deleter = await f.pool.getConnection();
  let outcome: string;
  try {
    await deleter.query('START TRANSACTION');
    await deleter.query('SELECT id FROM inodes WHERE id = ? FOR UPDATE', [d]);
    const creating = f.ns.create(f.root, { src: '/race/d/x', masked: 0o644, clientName: 'c', clientMachine: 'm', flags: 1, createParent: false, replication: 1, blockSize: 1 << 20 }).then(
      () => 'ok',
      (e: unknown) => String((e as { kind?: string }).kind ?? e),
    );
    await new Promise((r) => setTimeout(r, 500));
    await deleter.query('DELETE FROM inodes WHERE id = ?', [d]);
    await deleter.query('COMMIT');
    outcome = await creating;
  } finally {
    deleter.release();
  }
  const [orphans] = (await f.pool.query('SELECT COUNT(*) AS n FROM inodes WHERE parent_id = ?', [d])) as [{ n: number }[], unknown];
  expect(Number(orphans[0]?.n)).toBe(0);
  expect(outcome).toBe('FileNotFound');
});

test('creates grouped into several directories, one of them deleted while their touch waits: the others land, that one fails, no orphan', async () => {
  for (const d of ['a', 'b', 'c']) await f.ns.mkdirs(f.root, `/group/${d}`, 0o755, true);
  const idOf = async (p: string) => Number((await f.ns.getFileInfo(f.root, p))?.fileId);
  const b = await idOf('/group/b');
  await Promise.all(['a', 'c'].map((d) => idOf(`/group/${d}`)));
  const before = { ...(f.ns.runner.groupStats ?? { groups: 0, grouped: 0, fallbacks: 0 }) };
  const deleter = await f.pool.getConnection();
  let outcomes: string[];
  try {
    await deleter.query('START TRANSACTION');
    await deleter.query('SELECT id FROM inodes WHERE id = ? FOR UPDATE', [b]);
    const creating = Promise.all(
      ['a', 'b', 'c'].map((d) =>
        f.ns.create(f.root, { src: `/group/${d}/x`, masked: 0o644, clientName: `c${d}`, clientMachine: 'm', flags: 1, createParent: false, replication: 1, blockSize: 1 << 20 }).then(
          () => 'ok',
          (e: unknown) => String((e as { kind?: string }).kind ?? e),
        ),
      ),
    );
    await new Promise((r) => setTimeout(r, 500));
    await deleter.query('DELETE FROM inodes WHERE id = ?', [b]);
    await deleter.query('COMMIT');
    outcomes = await creating;
  } finally {
    deleter.release();
  }
  const [orphans] = (await f.pool.query('SELECT COUNT(*) AS n FROM inodes WHERE parent_id = ?', [b])) as [{ n: number }[], unknown];
  expect(Number(orphans[0]?.n)).toBe(0);
  expect(outcomes).toEqual(['ok', 'FileNotFound', 'ok']);
  for (const d of ['a', 'c']) expect((await f.ns.getListing(f.root, `/group/${d}`, ''))?.entries.map((e) => e.name)).toEqual(['x']);
  const [counts] = (await f.pool.query('SELECT children FROM inodes WHERE id IN (?, ?) ORDER BY id', [await idOf('/group/a'), await idOf('/group/c')])) as [{ children: number }[], unknown];
  expect(counts.map((r) => Number(r.children))).toEqual([1, 1]);
  // The three creates went to the database as one group, whose guard refused it: then one by one.
  expect((f.ns.runner.groupStats ?? before).fallbacks).toBe(before.fallbacks + 1);
});
