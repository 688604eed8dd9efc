import { compoundStatementsSupported } from '../../namenode/dal/sql/sql-db';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

let f: NamesystemFixture;
beforeAll(async () => {
  f = await namesystemFixture('createrace');
});
afterAll(() => f.close());

const idOf = async (p: string): Promise<number> => Number((await f.ns.getFileInfo(f.root, p))?.fileId);

/** Creates `src` and answers 'ok' or the error's kind. */
const create = (src: string): Promise<string> =>
  f.ns.create(f.root, { src, masked: 0o644, clientName: `c${src}`, clientMachine: 'm', flags: 1, createParent: false, replication: 1, blockSize: 1 << 20 }).then(
    () => 'ok',
    (e: unknown) => String((e as { kind?: string }).kind ?? e),
  );

/**
 * Runs `start` while another transaction holds directory `dir` locked,
 * then deletes the directory's row in that transaction and commits: a
 * delete of the directory that read its children before what `start`
 * creates was there. Answers what `start` answered.
 */
async function deletedWhileWaiting<T>(dir: number, start: () => Promise<T>): Promise<T> {
  const deleter = await f.pool.getConnection();
  try {
    await deleter.query('START TRANSACTION');
    await deleter.query('SELECT id FROM inodes WHERE id = ? FOR UPDATE', [dir]);
    const started = start();
    await new Promise((r) => setTimeout(r, 500));
    await deleter.query('DELETE FROM inodes WHERE id = ?', [dir]);
    await deleter.query('COMMIT');
    return await started;
  } finally {
    deleter.release();
  }
}

async function childrenOf(dir: number): Promise<number> {
  const [rows] = (await f.pool.query('SELECT COUNT(*) AS n FROM inodes WHERE parent_id = ?', [dir])) as [{ n: number }[], unknown];
  return Number(rows[0]?.n);
}

// Both ways a transaction's writes reach the database: a multi-statement query, and one MariaDB
// compound statement (a namenode's way on MariaDB, sql-db.ts), where the guard is one statement inside it.
describe.each([
  ['multi-statement', false],
  ['compound-statement', true],
])('writes as %s queries', (_label, compound) => {
  const m = compound ? '-compound' : '-multi';
  beforeAll(async () => {
    if (compound) expect(await compoundStatementsSupported(f.pool)).toBe(true);
    f.sqlDb.compoundWrites = compound;
  });

  /**
   * An optimistic create (its directory read unlocked, touched by a guarded
   * UPDATE at commit, directory-items.ts) whose directory is deleted while
   * its touch waits for the deleter's lock: the touch matches no row, its
   * guard (inode-sql.ts matchedRows) refuses, and the create runs again
   * exact, where it finds the directory gone. Before the guard it committed
   * its row under a directory that no longer existed.
   */
  test('a create whose directory is deleted while its touch waits fails, and leaves no row behind', async () => {
    await f.ns.mkdirs(f.root, `/race${m}/d`, 0o755, true);
    const d = await idOf(`/race${m}/d`);
    const outcome = await deletedWhileWaiting(d, () => create(`/race${m}/d/x`));
    expect(await childrenOf(d)).toBe(0);
    expect(outcome).toBe('FileNotFound');
  });

  test('creates grouped into several directories, one of them deleted while their touch waits: the others land, that one fails, no orphan', async () => {
    for (const d of ['a', 'b', 'c']) await f.ns.mkdirs(f.root, `/group${m}/${d}`, 0o755, true);
    const [a, b, c] = (await Promise.all(['a', 'b', 'c'].map((d) => idOf(`/group${m}/${d}`)))) as [number, number, number];
    const before = { ...(f.ns.runner.groupStats ?? { groups: 0, grouped: 0, fallbacks: 0 }) };
    const outcomes = await deletedWhileWaiting(b, () => Promise.all(['a', 'b', 'c'].map((d) => create(`/group${m}/${d}/x`))));
    expect(await childrenOf(b)).toBe(0);
    expect(outcomes).toEqual(['ok', 'FileNotFound', 'ok']);
    for (const d of ['a', 'c']) expect((await f.ns.getListing(f.root, `/group${m}/${d}`, ''))?.entries.map((e) => e.name)).toEqual(['x']);
    const [counts] = (await f.pool.query('SELECT children FROM inodes WHERE id IN (?, ?) ORDER BY id', [a, c])) as [{ children: number }[], unknown];
    expect(counts.map((r) => Number(r.children))).toEqual([1, 1]);
    // The three creates went to the database as one group, whose guard refused it: then one by one.
    expect((f.ns.runner.groupStats ?? before).fallbacks).toBe(before.fallbacks + 1);
  });
});
