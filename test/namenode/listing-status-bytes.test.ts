import { CreateFlag } from '../../namenode/ops/create';
import { fileStatusOfRow } from '../../namenode/domain/file-status-of-row';
import { INODE_COLUMNS, toInodeRow } from '../../namenode/dal/sql/inode-columns';
import { encodeListingResponse } from '../../namenode/ipc/listing-response-codec';
import { statusPartsOf } from '../../namenode/wire/status-parts';
import type { SqlRow } from '../../namenode/dal/sql/sql-session';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';
import { StatusBytesBackfill } from '../../namenode/leader/duties/status-bytes-backfill';

/*
 * Each inode row keeps its status bytes (inodes.status_head/status_tail,
 * namenode/wire/status-parts.ts) and Hadoop IPC's getListing copies them.
 * Every write of a row must rewrite them: after a mix of operations, every
 * row's stored bytes are those of its columns, and every listing through
 * the stored bytes is byte for byte the listing through the rows.
 */

let f: NamesystemFixture;
beforeAll(async () => {
  f = await namesystemFixture('lsbytes', { listingLimit: 3 });
});
afterAll(() => f.close());

const rows = async (sql: string): Promise<SqlRow[]> => (await f.pool.query(sql))[0] as unknown as SqlRow[];

const create = (path: string) =>
  f.ns.create(f.root, { src: path, masked: 0o644, clientName: 'DFSClient_lsbytes', clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: true, replication: 3, blockSize: 1 << 20 });

const bytesOf = async (path: string, encoded: boolean, startAfter = '') => {
  const page = encoded ? await f.ns.getListing(f.root, path, startAfter, true) : await f.ns.getListing(f.root, path, startAfter);
  return { encoded: page !== undefined && 'encoded' in page, hex: Buffer.from(encodeListingResponse(page)).toString('hex') };
};

/** Every page of a directory, through the stored bytes and through the rows: the same bytes, and the stored bytes were used (on the first page: as `storedUsed`). */
async function expectSameListing(path: string, storedUsed = true): Promise<void> {
  let after = '';
  for (;;) {
    const stored = await bytesOf(path, true, after);
    const plain = await bytesOf(path, false, after);
    expect({ path, after, hex: stored.hex }).toEqual({ path, after, hex: plain.hex });
    expect({ path, after, encoded: stored.encoded }).toEqual({ path, after, encoded: after === '' ? storedUsed : true });
    const page = await f.ns.getListing(f.root, path, after);
    const last = page?.entries[page.entries.length - 1];
    if (!page || page.remaining === 0 || !last) return;
    after = last.name;
  }
}

beforeAll(async () => {
  await f.ns.mkdirs(f.root, '/t/d/e', 0o755, true);
  for (const n of ['a', 'b', 'c', 'é-ü', 'z']) await create(`/t/d/${n}`);
  await f.ns.complete(f.root, '/t/d/a', 'DFSClient_lsbytes');
  await f.ns.createSymlink(f.root, '/t/d/a', '/t/d/link', 0o755, false);
  await f.ns.setPermission(f.root, '/t/d/b', 0o600);
  await f.ns.setOwner(f.root, '/t/d/c', 'alice', 'staff');
  await f.ns.setTimes(f.root, '/t/d/z', 1_700_000_000_000, 1_700_000_000_001);
  await f.ns.setReplication(f.root, '/t/d/z', 2);
  await f.ns.modifyAclEntries(f.root, '/t/d/e', [{ scope: 0, type: 0, name: 'bob', permission: 5 }]);
  await f.ns.rename2(f.root, '/t/d/b', '/t/d/b2', false);
  await f.ns.rename(f.root, '/t/d/c', '/t/moved');
  // A policy on /t/p: its children without one (and its symlink) list with it.
  await f.ns.mkdirs(f.root, '/t/p/q', 0o755, true);
  await create('/t/p/f');
  await f.ns.createSymlink(f.root, '/t/p/f', '/t/p/link', 0o755, false);
  await create('/t/p/cold');
  await f.ns.setStoragePolicy(f.root, '/t/p', 'ALL_SSD');
  await f.ns.setStoragePolicy(f.root, '/t/p/cold', 'COLD');
  await f.ns.delete(f.root, '/t/d/z', false);
});

/** Every row's stored bytes are those its columns give. */
async function expectEveryRowKept(): Promise<void> {
  const all = await rows(`SELECT ${INODE_COLUMNS}, status_head, status_tail FROM inodes WHERE parent_id > 0`);
  expect(all.length).toBeGreaterThan(10);
  for (const r of all) {
    const row = toInodeRow(r);
    const parts = statusPartsOf(fileStatusOfRow(row, row.name));
    expect({ name: row.name, head: (r['status_head'] as Buffer | null)?.toString('hex'), tail: (r['status_tail'] as Buffer | null)?.toString('hex') }).toEqual({
      name: row.name,
      head: parts.head.toString('hex'),
      tail: parts.tail.toString('hex'),
    });
  }
}

test('every row keeps the status bytes of its own columns', () => expectEveryRowKept());

test('listings through the stored bytes are the listings through the rows, page by page', async () => {
  for (const dir of ['/t', '/t/d', '/t/d/e', '/t/p', '/t/p/q', '/']) await expectSameListing(dir);
  const p = await f.ns.getListing(f.root, '/t/p', '');
  expect(Object.fromEntries((p?.entries ?? []).map((e) => [e.name, e.storagePolicy]))).toEqual({ cold: 2, f: 12, link: 12 });
});

test('a file lists as itself, a missing path as nothing, through either form', async () => {
  expect(await bytesOf('/t/d/a', true)).toEqual({ ...(await bytesOf('/t/d/a', false)), encoded: false });
  expect(await f.ns.getListing(f.root, '/t/none', '', true)).toBeUndefined();
});

test('a directory touched by a child (its mtime moved in SQL) lists its new mtime', async () => {
  const before = (await f.ns.getFileInfo(f.root, '/t/d'))!.mtime;
  await new Promise((r) => setTimeout(r, 5));
  await create('/t/d/new');
  expect((await f.ns.getFileInfo(f.root, '/t/d'))!.mtime).toBeGreaterThan(before);
  await expectSameListing('/t');
});

test('a row without stored bytes (written before schema v16) makes its page read the rows', async () => {
  await f.pool.query("UPDATE inodes SET status_head = NULL, status_tail = NULL WHERE name = 'a'");
  await expectSameListing('/t/d', false);
  // Written again by any operation, the row has them again.
  await f.ns.setPermission(f.root, '/t/d/a', 0o640);
  await expectSameListing('/t/d');
});

test('a stored head cut short (its path length running past it) makes its page read the rows, never hang', async () => {
  await f.pool.query("UPDATE inodes SET status_head = SUBSTRING(status_head, 1, 4) WHERE name = 'a' AND parent_id > 0");
  await expectSameListing('/t/d', false);
  await f.ns.setPermission(f.root, '/t/d/a', 0o600);
  await expectSameListing('/t/d');
});

test('the backfill walks the table a few keys a round and gives every row written before v16 its bytes', async () => {
  const [nulled] = (await f.pool.query('UPDATE inodes SET status_head = NULL, status_tail = NULL WHERE parent_id > 0 AND (id % 2 = 0 OR name = ?)', ['a'])) as unknown as [{ affectedRows: number }];
  expect(nulled.affectedRows).toBeGreaterThan(5);
  expect((await bytesOf('/t/d', true)).encoded).toBe(false);
  const backfill = new StatusBytesBackfill();
  let rounds = 0;
  let filled = 0;
  while (!backfill.done) {
    filled += await backfill.round(f.ns.context, 4);
    rounds++;
  }
  expect(rounds).toBeGreaterThan(3);
  expect(filled).toBe(nulled.affectedRows);
  expect(backfill.filled).toBe(filled);
  await expectEveryRowKept();
  for (const dir of ['/t', '/t/d', '/t/p']) await expectSameListing(dir);
  // Done: the walk is not repeated.
  expect(await backfill.round(f.ns.context, 4)).toBe(0);
  expect(await new StatusBytesBackfill().round(f.ns.context)).toBe(0);
});

test('a row written between the backfill read and its write keeps its own newer bytes', async () => {
  await f.pool.query("UPDATE inodes SET status_head = NULL, status_tail = NULL WHERE name = 'a' AND parent_id > 0");
  const { runner, dal } = f.ns.context;
  const key = (await runner.query('t', dal.inodes.findKeysAfter({ parentId: 0, name: '' }, 10_000))).filter((k) => !k.kept);
  expect(key.map((k) => k.key.name)).toEqual(['a']);
  const stale = await runner.query('t', dal.inodes.findByPkBatched([key[0]!.key], 'none'));
  await f.ns.setPermission(f.root, '/t/d/a', 0o604);
  expect(await runner.mutate('t', [dal.inodes.fillStatusBytes(stale)])).toEqual([0]);
  await expectEveryRowKept();
  await expectSameListing('/t/d');
});
