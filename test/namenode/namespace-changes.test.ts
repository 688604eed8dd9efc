import { CreateFlag } from '../../namenode/ops/create';
import { XAttrNamespace, XAttrSetFlag } from '../../namenode/domain/xattr';
import { isNamesystemError } from '../../namenode/errors';
import { rejectsWith } from '../harness/expect-error';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

let f: NamesystemFixture;
beforeAll(async () => {
  f = await namesystemFixture('nschg');
  await f.ns.mkdirs(f.root, '/pub', 0o777, true);
});
afterAll(() => f.close());

const touch = async (path: string, who = f.root) => {
  await f.ns.create(who, { src: path, masked: 0o644, clientName: `c_${who.user}`, clientMachine: 'h', flags: CreateFlag.CREATE, createParent: true, replication: 2, blockSize: 1 << 27 });
  await f.ns.complete(who, path, `c_${who.user}`);
};
const exists = async (path: string) => (await f.ns.getFileInfo(f.root, path)) !== undefined;
const countRows = async (table: string) => {
  const [rows] = await f.pool.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number((rows as { n: number }[])[0]?.n);
};

describe('delete', () => {
  test('removes a file, answers false for a missing path and for the root', async () => {
    await touch('/d1/f');
    expect(await f.ns.delete(f.root, '/d1/f', false)).toBe(true);
    expect(await exists('/d1/f')).toBe(false);
    expect(await f.ns.delete(f.root, '/d1/f', false)).toBe(false);
    expect(await f.ns.delete(f.root, '/', true)).toBe(false);
  });

  test('refuses a non-empty directory without recursive, removes the subtree with it', async () => {
    await touch('/d2/a/b/c/f1');
    await touch('/d2/a/f2');
    await f.ns.setXAttr(f.root, '/d2/a/f2', { namespace: XAttrNamespace.USER, name: 'k', value: Buffer.from('v') }, XAttrSetFlag.CREATE);
    const inodesBefore = await countRows('inodes');
    const xattrsBefore = await countRows('xattrs');
    await rejectsWith(f.ns.delete(f.root, '/d2/a', false), 'PathIsNotEmptyDirectory', /is non empty': Directory is not empty/);
    expect(await f.ns.delete(f.root, '/d2/a', true)).toBe(true);
    expect(await exists('/d2/a')).toBe(false);
    expect(await countRows('inodes')).toBe(inodesBefore - 5);
    expect(await countRows('xattrs')).toBe(xattrsBefore - 1);
  });

  test('needs WRITE on the parent and rwx on non-empty subdirectories', async () => {
    await f.ns.mkdirs(f.root, '/d3', 0o777, true);
    await f.ns.mkdirs(f.alice, '/d3/alice/locked', 0o755, true);
    await touch('/d3/alice/locked/f', f.alice);
    await f.ns.setPermission(f.alice, '/d3/alice/locked', 0o555);
    await rejectsWith(f.ns.delete(f.alice, '/d3/alice', true), 'AccessDenied', /access=ALL/);
    await rejectsWith(f.ns.delete(f.bob, '/d3/alice/locked/f', false), 'AccessDenied', /access=WRITE/);
    expect(await exists('/d3/alice/locked/f')).toBe(true);
  });

  test('honours the sticky bit', async () => {
    await f.ns.mkdirs(f.root, '/tmp1', 0o1777, true);
    await touch('/tmp1/alices', f.alice);
    await rejectsWith(f.ns.delete(f.bob, '/tmp1/alices', false), 'AccessDenied', /sticky bit/);
    expect(await f.ns.delete(f.alice, '/tmp1/alices', false)).toBe(true);
  });
});

describe('rename', () => {
  test('legacy rename moves into an existing directory and answers false instead of throwing', async () => {
    await touch('/r1/src');
    await f.ns.mkdirs(f.root, '/r1/dir', 0o755, true);
    expect(await f.ns.rename(f.root, '/r1/src', '/r1/dir')).toBe(true);
    expect(await exists('/r1/dir/src')).toBe(true);
    expect(await f.ns.rename(f.root, '/r1/missing', '/r1/x')).toBe(false);
    await touch('/r1/other');
    expect(await f.ns.rename(f.root, '/r1/other', '/r1/dir/src')).toBe(false);
    expect(await f.ns.rename(f.root, '/r1/other', '/r1/nodir/x')).toBe(false);
  });

  test('rename2 throws the Hadoop exceptions', async () => {
    await touch('/r2/a');
    await touch('/r2/b');
    await rejectsWith(f.ns.rename2(f.root, '/r2/zz', '/r2/c', false), 'FileNotFound');
    await rejectsWith(f.ns.rename2(f.root, '/r2/a', '/r2/b', false), 'AlreadyExists', /already exists/);
    await rejectsWith(f.ns.rename2(f.root, '/r2/a', '/r2/none/x', false), 'FileNotFound', /destination parent/);
    await rejectsWith(f.ns.rename2(f.root, '/r2/a', '/r2/b/x', false), 'ParentNotDirectory', /^\/r2\/b \(is not a directory\)$/);
    await f.ns.mkdirs(f.root, '/r2/d/e', 0o755, true);
    await rejectsWith(f.ns.rename2(f.root, '/r2/d', '/r2/d/e/f', false), 'IO', /under source/);
    await rejectsWith(f.ns.rename2(f.root, '/r2/a', '/r2/d', true), 'IO', /is a file but destination .* is a directory/);
  });

  test('rename2 with OVERWRITE replaces a file and an empty directory, not a non-empty one', async () => {
    await touch('/r3/a');
    await touch('/r3/b');
    const a = await f.ns.getFileInfo(f.root, '/r3/a');
    await f.ns.rename2(f.root, '/r3/a', '/r3/b', true);
    expect((await f.ns.getFileInfo(f.root, '/r3/b'))?.fileId).toBe(a?.fileId);
    expect(await exists('/r3/a')).toBe(false);
    await f.ns.mkdirs(f.root, '/r3/d1/x', 0o755, true);
    await f.ns.mkdirs(f.root, '/r3/d2', 0o755, true);
    await f.ns.mkdirs(f.root, '/r3/d3/y', 0o755, true);
    await rejectsWith(f.ns.rename2(f.root, '/r3/d1', '/r3/d3', true), 'IO', /not empty/);
    await f.ns.rename2(f.root, '/r3/d1', '/r3/d2', true);
    expect(await exists('/r3/d2/x')).toBe(true);
  });

  test('moves whole subtrees and keeps them reachable by their new path', async () => {
    await touch('/r4/a/b/c/f');
    await f.ns.getFileInfo(f.root, '/r4/a/b/c/f'); // warms the cache with the old path
    await f.ns.rename2(f.root, '/r4/a', '/r4/z', false);
    expect(await exists('/r4/a/b/c/f')).toBe(false);
    expect(await exists('/r4/z/b/c/f')).toBe(true);
  });

  test('needs WRITE on both parents', async () => {
    await f.ns.mkdirs(f.root, '/r5/open', 0o777, true);
    await f.ns.mkdirs(f.root, '/r5/closed', 0o755, true);
    await touch('/r5/open/f', f.alice);
    await rejectsWith(f.ns.rename2(f.alice, '/r5/open/f', '/r5/closed/f', false), 'AccessDenied', /inode="\/r5\/closed"/);
  });
});

describe('attributes', () => {
  test('setPermission is for the owner and the superuser', async () => {
    await touch('/pub/a1', f.alice);
    await f.ns.setPermission(f.alice, '/pub/a1', 0o600);
    expect((await f.ns.getFileInfo(f.root, '/pub/a1'))?.permission).toBe(0o600);
    await rejectsWith(f.ns.setPermission(f.bob, '/pub/a1', 0o777), 'AccessDenied', /not the owner/);
    await f.ns.setPermission(f.root, '/pub/a1', 0o640);
    await rejectsWith(f.ns.setPermission(f.root, '/nope', 0o640), 'FileNotFound');
  });

  test('setOwner: only the superuser changes the owner; the owner may change the group to one of theirs', async () => {
    await touch('/pub/a2', f.alice);
    await rejectsWith(f.ns.setOwner(f.alice, '/pub/a2', 'bob', undefined), 'AccessDenied', /non-super user cannot change owner/);
    await rejectsWith(f.ns.setOwner(f.alice, '/pub/a2', undefined, 'wheel'), 'AccessDenied', /does not belong to wheel/);
    await f.ns.setOwner(f.alice, '/pub/a2', undefined, 'staff');
    await f.ns.setOwner(f.root, '/pub/a2', 'bob', 'bob');
    const st = await f.ns.getFileInfo(f.root, '/pub/a2');
    expect([st?.owner, st?.group]).toEqual(['bob', 'bob']);
  });

  test('setTimes changes what is given, -1 leaves as is; needs WRITE', async () => {
    await touch('/pub/a3', f.alice);
    const before = await f.ns.getFileInfo(f.root, '/pub/a3');
    await f.ns.setTimes(f.alice, '/pub/a3', 1000, -1);
    const after = await f.ns.getFileInfo(f.root, '/pub/a3');
    expect(after?.mtime).toBe(1000);
    expect(after?.atime).toBe(before?.atime);
    await rejectsWith(f.ns.setTimes(f.bob, '/pub/a3', 5, 5), 'AccessDenied');
    await rejectsWith(f.ns.setTimes(f.root, '/missing', 5, 5), 'FileNotFound', /does not exist/);
  });

  test('setReplication: true for a file, false for a directory or a missing path', async () => {
    await touch('/a4');
    expect(await f.ns.setReplication(f.root, '/a4', 5)).toBe(true);
    expect((await f.ns.getFileInfo(f.root, '/a4'))?.replication).toBe(5);
    expect(await f.ns.setReplication(f.root, '/', 5)).toBe(false);
    expect(await f.ns.setReplication(f.root, '/missing', 5)).toBe(false);
    await rejectsWith(f.ns.setReplication(f.root, '/a4', 1000), 'IO', /exceeds maximum/);
  });
});

describe('getContentSummary', () => {
  test('counts files, directories, length and space', async () => {
    await touch('/s1/a/f1');
    await touch('/s1/b/c/f2');
    const s = await f.ns.getContentSummary(f.root, '/s1');
    expect(s).toMatchObject({ fileCount: 2, directoryCount: 4, length: 0, spaceConsumed: 0, quota: -1, spaceQuota: -1 });
    await rejectsWith(f.ns.getContentSummary(f.root, '/s-missing'), 'FileNotFound');
  });

  test('needs READ_EXECUTE on every directory of the subtree', async () => {
    await f.ns.mkdirs(f.root, '/s2/hidden', 0o700, true);
    await rejectsWith(f.ns.getContentSummary(f.alice, '/s2'), 'AccessDenied', /READ_EXECUTE/);
  });
});

describe('xattrs', () => {
  const user = (name: string, value?: string) => ({ namespace: XAttrNamespace.USER, name, value: value === undefined ? undefined : Buffer.from(value) });

  test('set, get, list, remove with CREATE/REPLACE semantics', async () => {
    await touch('/pub/x1', f.alice);
    await f.ns.setXAttr(f.alice, '/pub/x1', user('a', '1'), XAttrSetFlag.CREATE);
    await rejectsWith(f.ns.setXAttr(f.alice, '/pub/x1', user('a', '2'), XAttrSetFlag.CREATE), 'IO', /REPLACE flag must be specified/);
    await rejectsWith(f.ns.setXAttr(f.alice, '/pub/x1', user('b', '2'), XAttrSetFlag.REPLACE), 'IO', /CREATE flag must be specified/);
    await f.ns.setXAttr(f.alice, '/pub/x1', user('a', '2'), XAttrSetFlag.REPLACE);
    await f.ns.setXAttr(f.alice, '/pub/x1', user('b', ''), XAttrSetFlag.CREATE);
    // An empty value comes back unset, as HDFS's XAttrFormat.toXAttrs leaves it.
    expect((await f.ns.getXAttrs(f.alice, '/pub/x1', [])).map((x) => [x.name, x.value?.toString()])).toEqual([['a', '2'], ['b', undefined]]);
    expect((await f.ns.getXAttrs(f.alice, '/pub/x1', [user('b')])).map((x) => x.name)).toEqual(['b']);
    await rejectsWith(f.ns.getXAttrs(f.alice, '/pub/x1', [user('zz')]), 'IO', /At least one of the attributes/);
    expect((await f.ns.listXAttrs(f.alice, '/pub/x1')).map((x) => [x.name, x.value?.toString()])).toEqual([['a', '2'], ['b', undefined]]);
    await f.ns.removeXAttr(f.alice, '/pub/x1', user('a'));
    await rejectsWith(f.ns.removeXAttr(f.alice, '/pub/x1', user('a')), 'IO', /No matching attributes/);
  });

  test('trusted is for the superuser; others need WRITE; size is limited', async () => {
    await touch('/pub/x2', f.alice);
    await rejectsWith(f.ns.setXAttr(f.alice, '/pub/x2', { namespace: XAttrNamespace.TRUSTED, name: 't', value: Buffer.from('1') }, XAttrSetFlag.CREATE), 'AccessDenied');
    await f.ns.setXAttr(f.root, '/pub/x2', { namespace: XAttrNamespace.TRUSTED, name: 't', value: Buffer.from('1') }, XAttrSetFlag.CREATE);
    expect(await f.ns.getXAttrs(f.alice, '/pub/x2', [])).toEqual([]);
    await rejectsWith(f.ns.setXAttr(f.bob, '/pub/x2', user('u', '1'), XAttrSetFlag.CREATE), 'AccessDenied', /access=WRITE/);
    await rejectsWith(f.ns.setXAttr(f.alice, '/pub/x2', user('big', 'x'.repeat(16384)), XAttrSetFlag.CREATE), 'IllegalArgument', /too big/);
  });
});

describe('concurrency', () => {
  test('many concurrent mkdirs of one path make exactly one directory', async () => {
    const namenodes = [f.ns, f.other(), f.other()];
    const results = await Promise.all(Array.from({ length: 24 }, (_, i) => (namenodes[i % 3] ?? f.ns).mkdirs(f.root, '/cc/one/two', 0o755, true)));
    expect(results.every((r) => r)).toBe(true);
    const [rows] = await f.pool.query("SELECT COUNT(*) AS n FROM inodes WHERE name = 'two'");
    expect(Number((rows as { n: number }[])[0]?.n)).toBe(1);
  });

  test('concurrent creates of one file: exactly one wins', async () => {
    const namenodes = [f.ns, f.other()];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        (namenodes[i % 2] ?? f.ns).create(f.root, { src: '/cc/file', masked: 0o644, clientName: `c${i}`, clientMachine: 'h', flags: CreateFlag.CREATE, createParent: true, replication: 1, blockSize: 1 << 27 }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    // Each loser met the winner's open file: Hadoop's AlreadyBeingCreatedException naming the
    // winner, never a database error given up on or a generic failure.
    const winner = outcomes.findIndex((o) => o.status === 'fulfilled');
    for (const o of outcomes) {
      if (o.status === 'fulfilled') continue;
      expect(isNamesystemError(o.reason, 'AlreadyBeingCreated') ? (o.reason as Error).message : String(o.reason)).toMatch(
        new RegExp(`^Failed to CREATE_FILE /cc/file for c\\d+ on h because this file lease is currently owned by c${winner} on h$`),
      );
    }
  });

  test('crossed renames a → b/x and b → a/y cannot make a cycle', async () => {
    for (let round = 0; round < 10; round++) {
      const base = `/cy${round}`;
      await f.ns.mkdirs(f.root, `${base}/a`, 0o755, true);
      await f.ns.mkdirs(f.root, `${base}/b`, 0o755, true);
      const other = f.other();
      const [r1, r2] = await Promise.allSettled([
        f.ns.rename2(f.root, `${base}/a`, `${base}/b/x`, false),
        other.rename2(f.root, `${base}/b`, `${base}/a/y`, false),
      ]);
      expect([r1.status, r2.status].filter((s) => s === 'fulfilled')).toHaveLength(1);
      // The loser's destination parent moved under the winner: FileNotFoundException, as in HDFS.
      const loser = r1.status === 'rejected' ? r1 : (r2 as PromiseRejectedResult);
      const lost = r1.status === 'rejected' ? `${base}/b` : `${base}/a`;
      expect(isNamesystemError(loser.reason, 'FileNotFound') ? (loser.reason as Error).message : String(loser.reason)).toBe(`rename destination parent ${lost} not found.`);
      // Whatever won, both directories are still reachable from the root.
      const listing = await f.ns.getListing(f.root, base, '');
      expect(listing?.entries).toHaveLength(1);
      const s = await f.ns.getContentSummary(f.root, base);
      expect(s.directoryCount).toBe(3);
    }
  });
});
