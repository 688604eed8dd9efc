import { randomBytes } from 'node:crypto';
import type { ChangeFeed } from '../../namenode/changelog/change-feed';
import type { ChangeBatch } from '../../namenode/domain/change-event';
import type { RetryKey } from '../../namenode/domain/retry-key';
import { dropEmptyLeases } from '../../namenode/leader/duties/lease-monitor';
import type { Namesystem } from '../../namenode/namesystem';
import { CreateFlag } from '../../namenode/ops/create';
import type { Caller } from '../../namenode/security/caller';
import type { GroupStats } from '../../namenode/tx/group-commit';
import { ROOT_ROW } from '../../namenode/dal/sql/root-row-sql';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

/**
 * Group commit (namenode/tx/group-commit.ts) against the real database:
 * calls made in the same tick share one transaction, and each still gets
 * exactly the answer it would get alone.
 */
let f: NamesystemFixture;
/** The same namesystem without group commit, on a database of its own: the one-by-one reference. */
let alone: NamesystemFixture;
beforeAll(async () => {
  f = await namesystemFixture('gcommit', { groupCommit: true });
  alone = await namesystemFixture('gcalone', { groupCommit: false });
});
afterAll(async () => {
  await f?.close();
  await alone?.close();
});

const createFile = (ns: Namesystem, path: string, who: Caller, retryKey?: RetryKey) =>
  ns.create(who, { src: path, masked: 0o644, clientName: `DFSClient_${who.user}`, clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: true, replication: 1, blockSize: 1024 * 1024 }, retryKey);

const statsOf = (fx: NamesystemFixture): GroupStats => fx.ns.runner.groupStats as GroupStats;
const snapshot = (fx: NamesystemFixture): GroupStats => ({ ...statsOf(fx) });

/** Each call's outcome: ok, or its error kind. */
async function outcomes(calls: readonly Promise<unknown>[]): Promise<string[]> {
  const settled = await Promise.allSettled(calls);
  return settled.map((s) => (s.status === 'fulfilled' ? 'ok' : String((s.reason as { kind?: string }).kind ?? s.reason)));
}

test('concurrent conflicting creates in one batch: exactly one wins, the others get the exception HDFS gives', async () => {
  await f.ns.mkdirs(f.root, '/race', 0o755, true);
  const before = snapshot(f);
  // Four creates of one path among creates of paths apart, all in the same tick.
  const calls = [0, 1, 2, 3].flatMap((i) => [createFile(f.ns, '/race/same', f.root), createFile(f.ns, `/race/own${i}`, f.root)]);
  // A directory and a file of one name: whichever comes first wins, the other gets FileAlreadyExistsException.
  const dirFirst = [f.ns.mkdirs(f.root, '/race/both', 0o755, false), createFile(f.ns, '/race/both', f.root)];
  const got = await outcomes([...calls, ...dirFirst]);
  const same = got.filter((_, i) => i < 8 && i % 2 === 0);
  expect(same.filter((o) => o === 'ok')).toHaveLength(1);
  // The file is open (its creator holds the lease): HDFS's recoverLeaseInternal answers AlreadyBeingCreatedException.
  expect(same.filter((o) => o !== 'ok')).toEqual(['AlreadyBeingCreated', 'AlreadyBeingCreated', 'AlreadyBeingCreated']);
  expect(got.filter((_, i) => i < 8 && i % 2 === 1)).toEqual(['ok', 'ok', 'ok', 'ok']);
  expect(got.slice(8)).toEqual(['ok', 'AlreadyExists']);
  expect((await f.ns.getFileInfo(f.root, '/race/both'))?.type).toBe('directory');
  const after = statsOf(f);
  // They really went in groups (the creates of paths apart at least), and no group fell back.
  expect(after.groups).toBeGreaterThan(before.groups);
  expect(after.grouped - before.grouped).toBeGreaterThanOrEqual(5);
  expect(after.fallbacks).toBe(before.fallbacks);
});

test('a member refused by the namesystem (permission) fails alone: the others commit in the same group', async () => {
  await f.ns.mkdirs(f.root, '/perm/closed', 0o755, true);
  await f.ns.mkdirs(f.root, '/perm/open', 0o777, true);
  const before = snapshot(f);
  const got = await outcomes([
    createFile(f.ns, '/perm/open/a', f.alice),
    createFile(f.ns, '/perm/closed/x', f.alice),
    f.ns.mkdirs(f.alice, '/perm/open/d', 0o755, false),
    createFile(f.ns, '/perm/open/b', f.alice),
  ]);
  expect(got).toEqual(['ok', 'AccessDenied', 'ok', 'ok']);
  const after = statsOf(f);
  expect(after.fallbacks).toBe(before.fallbacks);
  expect(after.grouped - before.grouped).toBe(4);
  expect(await f.ns.getFileInfo(f.root, '/perm/closed/x')).toBeUndefined();
  expect((await f.ns.getListing(f.root, '/perm/open', ''))?.entries.map((e) => e.name)).toEqual(['a', 'b', 'd']);
});

test('a member that fails at the database (quota guard) rolls the group back; one by one, only it fails', async () => {
  await f.ns.mkdirs(f.root, '/q/full', 0o755, true);
  await f.ns.mkdirs(f.root, '/q/free', 0o755, true);
  // Room for one more name under /q/full (the directory counts itself).
  await f.ns.setQuota(f.root, { path: '/q/full', namespaceQuota: 2n, storagespaceQuota: 9223372036854775807n });
  const before = snapshot(f);
  const got = await outcomes([createFile(f.ns, '/q/free/a', f.root), createFile(f.ns, '/q/full/one', f.root), createFile(f.ns, '/q/full/two', f.root), createFile(f.ns, '/q/free/b', f.root)]);
  // The two creates into /q/full race for its one free name: either may win (as two clients would on HDFS), exactly one does.
  expect([got[0], got[3], [got[1], got[2]].sort()]).toEqual(['ok', 'ok', ['NSQuotaExceeded', 'ok']]);
  expect(statsOf(f).fallbacks).toBeGreaterThan(before.fallbacks);
  expect((await f.ns.getListing(f.root, '/q/full', ''))?.entries.map((e) => e.name)).toEqual([got[1] === 'ok' ? 'one' : 'two']);
});

test('renames share groups: three out of one directory keep its child count, with a create and a delete there; failures stay their own', async () => {
  await f.ns.mkdirs(f.root, '/ren/a', 0o755, true);
  await f.ns.mkdirs(f.root, '/ren/b', 0o755, true);
  await f.ns.mkdirs(f.root, '/ren/c', 0o755, true);
  for (const n of ['f1', 'f2', 'f3', 'f4', 'f5']) await createFile(f.ns, `/ren/a/${n}`, f.root);
  const before = snapshot(f);
  const got = await outcomes([
    f.ns.rename(f.root, '/ren/a/f1', '/ren/a/g1'),
    f.ns.rename(f.root, '/ren/a/f2', '/ren/b/f2'),
    f.ns.rename(f.root, '/ren/a/f5', '/ren/c/f5'),
    createFile(f.ns, '/ren/a/new', f.root),
    f.ns.delete(f.root, '/ren/a/f4', false),
    // The legacy rename answers false for a missing source; rename2 throws; a directory destination takes the file in.
    f.ns.rename(f.root, '/ren/a/missing', '/ren/a/x').then((ok) => (ok ? 'renamed' : Promise.reject(Object.assign(new Error(), { kind: 'false' })))),
    f.ns.rename2(f.root, '/ren/b/missing', '/ren/b/y', false),
    f.ns.rename(f.root, '/ren/a/f3', '/ren/c'),
  ]);
  expect(got).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'false', 'FileNotFound', 'ok']);
  const after = statsOf(f);
  expect(after.fallbacks).toBe(before.fallbacks);
  expect(after.grouped - before.grouped).toBeGreaterThanOrEqual(5);
  const names = async (dir: string) => (await f.ns.getListing(f.root, dir, ''))?.entries.map((e) => e.name);
  expect(await names('/ren/a')).toEqual(['g1', 'new']);
  expect(await names('/ren/b')).toEqual(['f2']);
  expect(await names('/ren/c')).toEqual(['f3', 'f5']);
  // Each directory's stored child count is its listing's length: no rename wrote back another's count.
  const ren = (await f.ns.getFileInfo(f.root, '/ren'))?.fileId ?? -1;
  const [counts] = (await f.pool.query('SELECT name, children FROM inodes WHERE parent_id = ? ORDER BY name', [ren])) as [{ name: Buffer; children: number }[], unknown];
  expect(counts.map((r) => `${r.name.toString()}=${r.children}`)).toEqual(['a=2', 'b=1', 'c=2']);
});

test('renames within one directory share one transaction: its row is touched by their deltas, not rewritten by each', async () => {
  await f.ns.mkdirs(f.root, '/inone', 0o755, true);
  await f.ns.mkdirs(f.root, '/intoo', 0o755, true);
  for (let i = 0; i < 8; i++) await createFile(f.ns, `/inone/f${i}`, f.root);
  const dirRow = async (path: string) => {
    const id = (await f.ns.getFileInfo(f.root, path))?.fileId ?? -1;
    const [rows] = (await f.pool.query('SELECT children, mtime FROM inodes WHERE id = ?', [id])) as [{ children: number; mtime: number }[], unknown];
    return rows[0] as { children: number; mtime: number };
  };
  const mtimeBefore = (await dirRow('/inone')).mtime;
  const before = snapshot(f);
  // Six renames inside /inone, two out of it into /intoo, all in the same tick.
  const got = await outcomes([
    ...[0, 1, 2, 3, 4, 5].map((i) => f.ns.rename(f.root, `/inone/f${i}`, `/inone/g${i}`)),
    f.ns.rename2(f.root, '/inone/f6', '/intoo/f6', false),
    f.ns.rename2(f.root, '/inone/f7', '/intoo/f7', false),
  ]);
  expect(got).toEqual(Array.from({ length: 8 }, () => 'ok'));
  const after = statsOf(f);
  // One directory's renames used to go one transaction each (each rewrote its row from the same image).
  expect(after.grouped - before.grouped).toBe(8);
  expect(after.fallbacks).toBe(before.fallbacks);
  expect((await f.ns.getListing(f.root, '/inone', ''))?.entries.map((e) => e.name)).toEqual(['g0', 'g1', 'g2', 'g3', 'g4', 'g5']);
  const dir = await dirRow('/inone');
  expect(dir.children).toBe(6);
  expect(dir.mtime).toBeGreaterThanOrEqual(mtimeBefore);
  expect((await dirRow('/intoo')).children).toBe(2);
});

/** Runs `body` while inserting an inode row that meets `when` (SQL over NEW) fails as a deadlock victim. */
async function withDeadlockTrigger(name: string, when: string, body: () => Promise<void>): Promise<void> {
  await f.pool.query(
    `CREATE TRIGGER ${name} BEFORE INSERT ON inodes FOR EACH ROW BEGIN IF ${when} THEN SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213, MESSAGE_TEXT = 'deadlock victim'; END IF; END`,
    [],
  );
  try {
    await body();
  } finally {
    await f.pool.query(`DROP TRIGGER ${name}`, []);
  }
}

test('a group a deadlock rolls back runs again as a group, not one by one', async () => {
  await f.ns.mkdirs(f.root, '/again', 0o755, true);
  // The first insert of 'once' is a deadlock victim; a sequence is not rolled back with it, so the second try passes.
  await f.pool.query('CREATE SEQUENCE gc_once_seq', []);
  await withDeadlockTrigger('gc_once', "NEW.name = 'once' AND NEXTVAL(gc_once_seq) = 1", async () => {
    const before = snapshot(f);
    const got = await outcomes([createFile(f.ns, '/again/a', f.root), createFile(f.ns, '/again/once', f.root), f.ns.mkdirs(f.root, '/again/d', 0o755, false)]);
    expect(got).toEqual(['ok', 'ok', 'ok']);
    const after = statsOf(f);
    expect([after.retries - before.retries, after.fallbacks - before.fallbacks, after.groups - before.groups, after.grouped - before.grouped]).toEqual([1, 0, 1, 3]);
    expect((await f.ns.getListing(f.root, '/again', ''))?.entries.map((e) => e.name)).toEqual(['a', 'd', 'once']);
  });
  await f.pool.query('DROP SEQUENCE gc_once_seq', []);
});

test('a member whose statement the database refuses (a trigger raising a deadlock) fails alone after its retries', async () => {
  await f.ns.mkdirs(f.root, '/trig', 0o755, true);
  await withDeadlockTrigger('gc_poison', "NEW.name = 'poison'", async () => {
    const before = snapshot(f);
    const got = await outcomes([createFile(f.ns, '/trig/a', f.root), createFile(f.ns, '/trig/poison', f.root), f.ns.mkdirs(f.root, '/trig/d', 0o755, false)]);
    expect(got).toEqual(['ok', 'TransientStorage', 'ok']);
    expect(statsOf(f).fallbacks).toBeGreaterThan(before.fallbacks);
    expect((await f.ns.getListing(f.root, '/trig', ''))?.entries.map((e) => e.name)).toEqual(['a', 'd']);
  });
});

test('retry cache: a grouped call retried gets its first answer; a refused one leaves no claim behind', async () => {
  await f.ns.mkdirs(f.root, '/rc/closed', 0o755, true);
  await f.ns.mkdirs(f.root, '/rc/open', 0o777, true);
  const clientId = randomBytes(16);
  const key = (callId: number): RetryKey => ({ clientId, callId, method: 'create', user: f.alice.user });
  const [first, refused] = await Promise.allSettled([createFile(f.ns, '/rc/open/f', f.alice, key(1)), createFile(f.ns, '/rc/closed/f', f.alice, key(2))]);
  expect(first.status).toBe('fulfilled');
  expect(refused.status === 'rejected' && (refused.reason as { kind: string }).kind).toBe('AccessDenied');
  // The retries, again in one tick: the first is answered from the cache, the refused one runs again and is refused again.
  const [again, refusedAgain] = await Promise.allSettled([createFile(f.ns, '/rc/open/f', f.alice, key(1)), createFile(f.ns, '/rc/closed/f', f.alice, key(2))]);
  expect(again.status === 'fulfilled' && first.status === 'fulfilled' && again.value.fileId === first.value.fileId).toBe(true);
  expect(refusedAgain.status === 'rejected' && (refusedAgain.reason as { kind: string }).kind).toBe('AccessDenied');
});

test('retry cache without claims: a grouped retry that succeeds in memory hits its committed row and is answered from it', async () => {
  await f.ns.mkdirs(f.root, '/rcd', 0o755, true);
  const key: RetryKey = { clientId: randomBytes(16), callId: 7, method: 'create', user: f.root.user };
  const overwrite = () =>
    f.ns.create(f.root, { src: '/rcd/x', masked: 0o644, clientName: 'DFSClient_root', clientMachine: '127.0.0.1', flags: CreateFlag.CREATE | CreateFlag.OVERWRITE, createParent: false, replication: 1, blockSize: 1024 * 1024 }, key);
  // The first attempt in a group with another create: its row is INSERTed with its answer.
  const [first] = await Promise.all([overwrite(), createFile(f.ns, '/rcd/y', f.root)]);
  expect(await f.ns.complete(f.root, '/rcd/x', 'DFSClient_root')).toBe(true);
  const before = snapshot(f);
  // The retry in another group: in memory it overwrites the closed file (a new inode); the duplicate row rolls that back.
  const [again] = await Promise.all([overwrite(), createFile(f.ns, '/rcd/z', f.root), f.ns.mkdirs(f.root, '/rcd/d', 0o755, false)]);
  expect(again.fileId).toBe(first.fileId);
  expect((await f.ns.getFileInfo(f.root, '/rcd/x'))?.fileId).toBe(first.fileId);
  // The duplicate row failed the group; its members ran alone, each once.
  expect(statsOf(f).fallbacks).toBe(before.fallbacks + 1);
  expect((await f.ns.getListing(f.root, '/rcd', ''))?.entries.map((e) => e.name)).toEqual(['d', 'x', 'y', 'z']);
});

test('retry cache without claims: two attempts of one create in one tick make one file, both answered with it', async () => {
  await f.ns.mkdirs(f.root, '/rc2', 0o755, true);
  const key: RetryKey = { clientId: randomBytes(16), callId: 1, method: 'create', user: f.root.user };
  const [a, b, other] = await Promise.all([createFile(f.ns, '/rc2/f', f.root, key), createFile(f.ns, '/rc2/f', f.root, key), createFile(f.ns, '/rc2/g', f.root)]);
  expect(a.fileId).toBe(b.fileId);
  expect(other.fileId).not.toBe(a.fileId);
  expect((await f.ns.getListing(f.root, '/rc2', ''))?.entries.map((e) => e.name)).toEqual(['f', 'g']);
});

test('under a snapshot, grouped members each keep their pre-images: the snapshot shows the tree as it was', async () => {
  await f.ns.mkdirs(f.root, '/snap/a', 0o755, true);
  await f.ns.mkdirs(f.root, '/snap/b', 0o755, true);
  await createFile(f.ns, '/snap/a/old', f.root);
  await f.ns.allowSnapshot(f.root, '/snap');
  await f.ns.createSnapshot(f.root, '/snap', 's1');
  const before = snapshot(f);
  const got = await outcomes([
    createFile(f.ns, '/snap/a/new', f.root),
    f.ns.setTimes(f.root, '/snap/a/old', 5_000, 5_000),
    f.ns.setPermission(f.root, '/snap/b', 0o700),
    f.ns.mkdirs(f.root, '/snap/c', 0o755, false),
  ]);
  expect(got).toEqual(['ok', 'ok', 'ok', 'ok']);
  expect(statsOf(f).grouped - before.grouped).toBe(4);
  expect(await tree(f.ns, f.root, '/snap/.snapshot/s1')).toEqual([
    '/snap/.snapshot/s1/a directory 755 0 ',
    '/snap/.snapshot/s1/a/old file 644 1 ',
    '/snap/.snapshot/s1/b directory 755 0 ',
  ]);
  expect((await f.ns.getFileInfo(f.root, '/snap/.snapshot/s1/a/old'))?.mtime).not.toBe(5_000);
  expect(await tree(f.ns, f.root, '/snap')).toEqual(['/snap/a directory 755 0 ', '/snap/a/new file 644 1 ', '/snap/a/old file 644 1 ', '/snap/b directory 700 0 ', '/snap/c directory 755 0 ']);
  expect((await f.ns.getFileInfo(f.root, '/snap/a/old'))?.mtime).toBe(5_000);
});

/** Every path under `dir` with its type and permission, depth first, names sorted. */
async function tree(ns: Namesystem, caller: Caller, dir: string): Promise<string[]> {
  const listing = await ns.getListing(caller, dir, '');
  const out: string[] = [];
  for (const e of listing?.entries ?? []) {
    const path = `${dir}/${e.name}`;
    out.push(`${path} ${e.type} ${e.permission.toString(8)} ${e.replication} ${e.mtime === 77_000 ? 'mtime=77000' : ''}`);
    if (e.type === 'directory') out.push(...(await tree(ns, caller, path)));
  }
  return out;
}

/** Built one call at a time on both namesystems before the calls compared. */
const setup = (fx: NamesystemFixture): (() => Promise<unknown>)[] => [
  () => fx.ns.mkdirs(fx.root, '/same/a/b', 0o755, true),
  () => fx.ns.mkdirs(fx.root, '/same/c', 0o755, true),
  () => fx.ns.mkdirs(fx.root, '/same/many', 0o755, true),
  () => createFile(fx.ns, '/same/e', fx.root),
  ...['old1', 'old2', 'old3'].map((n) => () => createFile(fx.ns, `/same/${n}`, fx.root)),
  () => fx.ns.mkdirs(fx.root, '/same/olddir/sub', 0o755, true),
  () => createFile(fx.ns, '/same/olddir/sub/f', fx.root),
  ...['r1', 'r2', 'r3'].map((n) => () => createFile(fx.ns, `/same/${n}`, fx.root)),
];

/**
 * Mixed calls, some refused, two on one path (one wins, whichever it is),
 * the others' answers and effects not depending on their order: one thunk
 * per call, so nothing starts early.
 */
const workload = (fx: NamesystemFixture): (() => Promise<unknown>)[] => [
  () => createFile(fx.ns, '/same/c/f2', fx.root),
  () => createFile(fx.ns, '/same/c/f2', fx.root),
  () => createFile(fx.ns, '/same/a/b/f1', fx.root),
  () => fx.ns.setPermission(fx.root, '/same/a', 0o711),
  () => fx.ns.setTimes(fx.root, '/same/e', 77_000, 77_000),
  () => createFile(fx.ns, '/same/d/f3', fx.alice),
  () => fx.ns.mkdirs(fx.root, '/same/e/x', 0o755, true),
  () => fx.ns.mkdirs(fx.root, '/same/c', 0o755, false),
  ...Array.from({ length: 12 }, (_, i) => () => createFile(fx.ns, `/same/many/f${i}`, fx.root)),
  () => fx.ns.setTimes(fx.root, '/same/missing', 1, 1),
  // Deletes: two from one directory, a subtree, a path that is not there (false), one refused.
  () => deleted(fx.ns.delete(fx.root, '/same/old1', false)),
  () => deleted(fx.ns.delete(fx.root, '/same/old2', false)),
  () => deleted(fx.ns.delete(fx.root, '/same/olddir', true)),
  () => deleted(fx.ns.delete(fx.root, '/same/missing', false)),
  () => deleted(fx.ns.delete(fx.alice, '/same/old3', false)),
  // Renames: two out of one directory, one into a directory, one onto an existing name (false), one refused.
  () => deleted(fx.ns.rename(fx.root, '/same/r1', '/same/r1moved')),
  () => deleted(fx.ns.rename(fx.root, '/same/r2', '/same/c')),
  () => deleted(fx.ns.rename(fx.root, '/same/r3', '/same/e')),
  () => deleted(fx.ns.rename(fx.alice, '/same/r3', '/same/a/r3')),
];

/** A delete's or legacy rename's answer as an outcome: false becomes the outcome 'false'. */
const deleted = (answer: Promise<boolean>): Promise<void> =>
  answer.then((ok) => {
    if (!ok) throw Object.assign(new Error('answered false'), { kind: 'false' });
  });

/** The change-log batches after `start` (sequenced first), as event summaries, one string per batch. */
async function batchesAfter(fx: NamesystemFixture, start: number): Promise<ChangeBatch[]> {
  const feed = fx.ns.changeFeed as ChangeFeed;
  await feed.sequence();
  const out: ChangeBatch[] = [];
  let cursor = start;
  for (;;) {
    const { batches, upTo } = await feed.readAfter(cursor, 100);
    out.push(...batches);
    if (upTo === cursor) return out;
    cursor = upTo;
  }
}

const headOf = async (fx: NamesystemFixture): Promise<number> => {
  const feed = fx.ns.changeFeed as ChangeFeed;
  await feed.sequence();
  return (await feed.clocks()).head;
};

const summaryOf = (b: ChangeBatch): string => b.events.map((e) => `${e.kind} ${e.path}`).join(', ');

test('the namespace, every answer and the change log are those of the same calls one by one; positions stay dense', async () => {
  for (const fx of [f, alone]) for (const call of setup(fx)) await call();
  const [start, startAlone] = [await headOf(f), await headOf(alone)];
  const before = snapshot(f);
  // All in one tick on the group-commit namesystem; awaited one by one on the reference.
  const grouped = await outcomes(workload(f).map((call) => call()));
  expect(statsOf(f).groups).toBeGreaterThan(before.groups);
  const serial: string[] = [];
  for (const call of workload(alone)) serial.push(...(await outcomes([call()])));
  // The two creates of one path: one wins, in either order.
  const pair = (o: string[]) => [...o.slice(0, 2).sort(), ...o.slice(2)];
  expect(pair(grouped)).toEqual(pair(serial));
  expect(serial.filter((o) => o !== 'ok')).toEqual(['AlreadyBeingCreated', 'AccessDenied', 'ParentNotDirectory', 'FileNotFound', 'false', 'AccessDenied', 'false', 'AccessDenied']);
  expect(await tree(f.ns, f.root, '/same')).toEqual(await tree(alone.ns, alone.root, '/same'));
  // One position per committed change, no gap, each call's events in a batch of its own.
  const batches = await batchesAfter(f, start);
  expect(batches.map((b) => b.position)).toEqual(batches.map((_, i) => start + i + 1));
  expect(batches.map(summaryOf).sort()).toEqual((await batchesAfter(alone, startAlone)).map(summaryOf).sort());
});

test('grouped completes close every file in one UPDATE of their rows and drop their lease paths; the monitor drops a holder left without files', async () => {
  const dir = '/closes';
  await f.ns.mkdirs(f.root, dir, 0o755, true);
  // Client A: four files all closed in the group; client B: three files, one left open.
  const a = Array.from({ length: 4 }, (_, i) => `${dir}/a${i}`);
  const b = Array.from({ length: 3 }, (_, i) => `${dir}/b${i}`);
  const open = (path: string, client: string) =>
    f.ns.create(f.root, { src: path, masked: 0o644, clientName: client, clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: false, replication: 1, blockSize: 1024 * 1024 });
  await Promise.all([...a.map((p) => open(p, 'DFSClient_A')), ...b.map((p) => open(p, 'DFSClient_B'))]);
  const before = snapshot(f);
  const closed = await Promise.all([...a.map((p) => f.ns.complete(f.root, p, 'DFSClient_A')), ...b.slice(0, 2).map((p) => f.ns.complete(f.root, p, 'DFSClient_B'))]);
  expect(closed.every((c) => c === true)).toBe(true);
  expect(statsOf(f).grouped - before.grouped).toBeGreaterThan(1);
  // The joined statements went through: no group fell back to one by one.
  expect(statsOf(f).fallbacks).toBe(before.fallbacks);
  for (const p of [...a, ...b.slice(0, 2)]) {
    expect((await f.ns.getFileInfo(f.root, p))?.underConstruction).toBe(false);
  }
  const holders = async () =>
    ((await f.pool.query("SELECT holder FROM leases WHERE holder IN ('DFSClient_A', 'DFSClient_B') ORDER BY holder")) as [{ holder: string }[], unknown])[0].map((l) => l.holder);
  // A close leaves its holder's row: the next lease monitor round after the soft limit drops A's, which holds no file.
  expect(await holders()).toEqual(['DFSClient_A', 'DFSClient_B']);
  const ctx = f.ns.context;
  expect(await dropEmptyLeases(ctx, Date.now())).toBe(0);
  expect(await dropEmptyLeases(ctx, Date.now() + ctx.config.leaseSoftLimitMs + 1_000)).toBeGreaterThanOrEqual(1);
  expect(await holders()).toEqual(['DFSClient_B']);
  const [paths] = (await f.pool.query("SELECT COUNT(*) AS n FROM lease_paths WHERE holder IN ('DFSClient_A', 'DFSClient_B')")) as [{ n: number }[], unknown];
  expect(Number(paths[0]?.n)).toBe(1);
  // The file left open is still open: its writer's complete closes it.
  expect((await f.ns.getFileInfo(f.root, b[2] as string))?.underConstruction).toBe(true);
  expect(await f.ns.complete(f.root, b[2] as string, 'DFSClient_B')).toBe(true);
});

test('writes arriving while two groups are at the database wait and form the next group together', async () => {
  const dirs = Array.from({ length: 24 }, (_, i) => `/waves/d${i}`);
  for (const d of dirs) await f.ns.mkdirs(f.root, d, 0o755, true);
  const before = snapshot(f);
  // Every write's lock round trip share-locks the root's row (it carries the safe mode): holding it exclusively keeps the groups at the database.
  const holder = await f.pool.getConnection();
  await holder.query('START TRANSACTION');
  const [held] = (await holder.query(`SELECT id FROM inodes WHERE ${ROOT_ROW} FOR UPDATE`)) as [unknown[], unknown];
  expect(held).toHaveLength(1);
  const turn = () => new Promise((r) => setImmediate(r));
  // Six waves of four creates, each flushed before the next arrives: the first two fly, the other four queue.
  const calls: Promise<unknown>[] = [];
  try {
    for (let w = 0; w < 6; w++) {
      for (let i = 0; i < 4; i++) calls.push(createFile(f.ns, `${dirs[w * 4 + i] as string}/f`, f.root));
      await turn();
      await turn();
    }
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    await holder.query('ROLLBACK');
    holder.release();
  }
  expect(await outcomes(calls)).toEqual(calls.map(() => 'ok'));
  const after = statsOf(f);
  expect(after.fallbacks).toBe(before.fallbacks);
  expect(after.grouped - before.grouped).toBe(24);
  // Without the limit each wave is a group of its own (six).
  expect(after.groups - before.groups).toBe(3);
  for (const d of dirs) expect((await f.ns.getFileInfo(f.root, `${d}/f`))?.type).toBe('file');
});

test('a long queue goes in every free flight at once, evenly; a short one as one group', async () => {
  const dirs = Array.from({ length: 60 }, (_, i) => `/shares/d${i}`);
  for (const d of dirs) await f.ns.mkdirs(f.root, d, 0o755, true);
  const burst = async (from: number, n: number) => {
    const before = snapshot(f);
    // All in one tick: one queue when the flush comes.
    const calls = dirs.slice(from, from + n).map((d) => createFile(f.ns, `${d}/f`, f.root));
    expect(await outcomes(calls)).toEqual(calls.map(() => 'ok'));
    const after = statsOf(f);
    return { groups: after.groups - before.groups, grouped: after.grouped - before.grouped, fallbacks: after.fallbacks - before.fallbacks };
  };
  // 40 writes, two free flights: two groups of 20 at the database together, not one of 40.
  expect(await burst(0, 40)).toEqual({ groups: 2, grouped: 40, fallbacks: 0 });
  // 20 writes: shares of 10 would be under MIN_SHARED_GROUP, so one group.
  expect(await burst(40, 20)).toEqual({ groups: 1, grouped: 20, fallbacks: 0 });
  for (const d of dirs) expect((await f.ns.getFileInfo(f.root, `${d}/f`))?.type).toBe('file');
});
