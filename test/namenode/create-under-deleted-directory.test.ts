import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

let f: NamesystemFixture;
beforeAll(async () => {
  f = await namesystemFixture('createrace');
});
afterAll(() => f.close());

/**
 * A KNOWN BUG, recorded as `test.failing` (it passes while the bug is there
 * and fails once it is fixed; then make it a plain `test`). An optimistic
 * create (its directory read unlocked, touched by a guarded UPDATE at
 * commit, directory-items.ts) whose directory is deleted while its touch
 * waits for the deleter's lock: the touch then matches no row, which no
 * guard notices, and the create commits its row under a directory that no
 * longer exists. The transaction below stands in for a delete of the
 * directory that read its children before the create's row was there.
 * The fix: a touch that must match its row (a statement that errors when
 * ROW_COUNT() is 0), classified as a guard, so the create runs exact.
 */
test.failing('a create whose directory is deleted while its touch waits fails, and leaves no row behind', async () => {
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
