import { CreateFlag } from '../../namenode/ops/create';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

/**
 * A close drops its file's lease path by key and touches no other row of
 * the holder: one client's files opened and closed concurrently (a Hadoop
 * process has one lease holder for all its threads) do not wait for each
 * other's transactions, and cannot deadlock with them through the holder's
 * rows.
 */
let f: NamesystemFixture;
beforeAll(async () => {
  f = await namesystemFixture('leaselocks', { groupCommit: true });
});
afterAll(async () => {
  await f?.close();
});

const HOLDER = 'DFSClient_shared';

test("a complete does not wait for another transaction's uncommitted lease path of the same holder", async () => {
  await f.ns.mkdirs(f.root, '/ll', 0o755, true);
  await f.ns.create(f.root, { src: '/ll/a', masked: 0o644, clientName: HOLDER, clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: false, replication: 1, blockSize: 1 << 20 });
  // Another writer of the same holder mid-create: its path row inserted, not committed.
  const other = await f.pool.getConnection();
  try {
    await other.query('START TRANSACTION');
    await other.query('INSERT INTO lease_paths (inode_id, holder) VALUES (?, ?)', [987_654_321, HOLDER]);
    let answered = false;
    const closing = f.ns.complete(f.root, '/ll/a', HOLDER).then((ok) => {
      answered = true;
      return ok;
    });
    // Before, the close read the holder's other paths with locks and waited here until the lock wait timed out.
    const outcome = await Promise.race([closing, new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 20_000).unref())]);
    expect(outcome).toBe(true);
    expect(answered).toBe(true);
    expect((await f.ns.getFileInfo(f.root, '/ll/a'))?.underConstruction).toBe(false);
  } finally {
    await other.query('ROLLBACK');
    other.release();
  }
  // The holder's lease row is still there (the monitor drops it once idle), its path gone.
  const [paths] = (await f.pool.query('SELECT COUNT(*) AS n FROM lease_paths WHERE holder = ?', [HOLDER])) as [{ n: number }[], unknown];
  expect(Number(paths[0]?.n)).toBe(0);
  const [leases] = (await f.pool.query('SELECT holder FROM leases WHERE holder = ?', [HOLDER])) as [{ holder: string }[], unknown];
  expect(leases).toEqual([{ holder: HOLDER }]);
}, 60_000);
