import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

/**
 * The snapshot calls of ClientProtocol over Hadoop IPC against real
 * namenodes on MariaDB: HDFS's rules (superuser for allow/disallow, owner
 * for the rest, nesting, quota and limit, names), its exception classes and
 * messages, and snapshot state kept in rows that every namenode of the
 * fleet sees.
 */

const H = hadoop.hdfs;
const SNAPSHOT = 'org.apache.hadoop.hdfs.protocol.SnapshotException';
const READ_ONLY = 'org.apache.hadoop.hdfs.protocol.SnapshotAccessControlException';
const ACCESS = 'org.apache.hadoop.security.AccessControlException';
const MAX_LIMIT = 3;

let f: NamenodeFixture;
let su: IpcClient;
let alice: IpcClient;
let other: IpcClient;

const connect = (port: number, user: string) => IpcClient.connect({ host: '127.0.0.1', port, user, protocolName: CLIENT_PROTOCOL });

beforeAll(async () => {
  f = await namenodeFixture('snapshots', { snapshotMaxLimit: MAX_LIMIT });
  const second = await f.another();
  su = await connect(f.namenode.rpcPort, f.superuser);
  alice = await connect(f.namenode.rpcPort, 'alice');
  // The same fleet through another namenode: every answer below comes from rows, not from one process's memory.
  other = await connect(second.rpcPort, f.superuser);
}, 90_000);
afterAll(async () => {
  await Promise.all([su, alice, other].map((c) => c?.close()));
  await f?.close();
});

const refused = async (p: Promise<unknown>) =>
  p.then(
    () => ({ className: 'none', message: '' }),
    (e: { className?: string; message?: string }) => ({ className: e.className, message: e.message }),
  );

const mkdirs = (src: string, c = su) => c.call('mkdirs', H.MkdirsRequestProto, { src, masked: { perm: 0o755 }, createParent: true }, H.MkdirsResponseProto);
const create = (src: string, c = su) =>
  c.call('create', H.CreateRequestProto, { src, masked: { perm: 0o644 }, clientName: 'DFSClient_snap', createFlag: 1, createParent: true, replication: 1, blockSize: 1 << 20 }, H.CreateResponseProto);
const setOwner = (src: string, username: string) => su.call('setOwner', H.SetOwnerRequestProto, { src, username }, H.SetOwnerResponseProto);
const allow = (snapshotRoot: string, c = su) => c.call('allowSnapshot', H.AllowSnapshotRequestProto, { snapshotRoot }, H.AllowSnapshotResponseProto);
const disallow = (snapshotRoot: string, c = su) => c.call('disallowSnapshot', H.DisallowSnapshotRequestProto, { snapshotRoot }, H.DisallowSnapshotResponseProto);
const take = async (snapshotRoot: string, snapshotName?: string, c = su) =>
  (await c.call('createSnapshot', H.CreateSnapshotRequestProto, { snapshotRoot, ...(snapshotName === undefined ? {} : { snapshotName }) }, H.CreateSnapshotResponseProto)).snapshotPath;
const drop = (snapshotRoot: string, snapshotName: string, c = su) => c.call('deleteSnapshot', H.DeleteSnapshotRequestProto, { snapshotRoot, snapshotName }, H.DeleteSnapshotResponseProto);
const rename = (snapshotRoot: string, snapshotOldName: string, snapshotNewName: string, c = su) =>
  c.call('renameSnapshot', H.RenameSnapshotRequestProto, { snapshotRoot, snapshotOldName, snapshotNewName }, H.RenameSnapshotResponseProto);
const names = async (snapshotRoot: string, c = su) =>
  ((await c.call('getSnapshotListing', H.GetSnapshotListingRequestProto, { snapshotRoot }, H.GetSnapshotListingResponseProto)).snapshotList?.snapshotListing ?? []).map((s) => ({
    name: Buffer.from(s.dirStatus.path).toString(),
    parent: Buffer.from(s.parentFullpath).toString(),
    id: s.snapshotID,
  }));
const snapshottable = async (c = su) => {
  const list = (await c.call('getSnapshottableDirListing', H.GetSnapshottableDirListingRequestProto, {}, H.GetSnapshottableDirListingResponseProto)).snapshottableDirList;
  return list ? (list.snapshottableDirListing ?? []).map((d) => `${Buffer.from(d.parentFullpath).toString()}|${Buffer.from(d.dirStatus.path).toString()}|${d.snapshotNumber}|${d.snapshotQuota}`) : undefined;
};
const deletePath = (src: string, c = su) => c.call('delete', H.DeleteRequestProto, { src, recursive: true }, H.DeleteResponseProto);
const exists = async (src: string, c = su) => (await c.call('getFileInfo', H.GetFileInfoRequestProto, { src }, H.GetFileInfoResponseProto)).fs != null;

describe('allowSnapshot and disallowSnapshot', () => {
  test('superuser only; a missing path, a file; idempotent; nested snapshottable directories refused both ways', async () => {
    expect(await snapshottable()).toBeUndefined();
    await mkdirs('/nest/a/b');
    await create('/nest/file');
    expect(await refused(allow('/nest/a', alice))).toEqual({ className: ACCESS, message: 'Access denied for user alice. Superuser privilege is required' });
    expect(await refused(allow('/nest/none'))).toEqual({ className: 'java.io.FileNotFoundException', message: 'Directory does not exist: /nest/none' });
    expect(await refused(allow('/nest/file'))).toEqual({ className: 'org.apache.hadoop.fs.PathIsNotDirectoryException', message: "`/nest/file': Is not a directory" });
    await allow('/nest/a');
    await allow('/nest/a');
    expect(await refused(allow('/nest', other))).toEqual({
      className: SNAPSHOT,
      message: 'Nested snapshottable directories not allowed: path=/nest, the subdirectory /nest/a is already a snapshottable directory.',
    });
    expect(await refused(allow('/nest/a/b', other))).toEqual({
      className: SNAPSHOT,
      message: 'Nested snapshottable directories not allowed: path=/nest/a/b, the ancestor /nest/a is already a snapshottable directory.',
    });
    expect(await snapshottable(other)).toEqual(['/nest|a|0|65536']);
    expect(await refused(disallow('/nest/a', alice))).toMatchObject({ className: ACCESS });
    await disallow('/nest/a');
    await disallow('/nest/a'); // not snapshottable any more: nothing to do, as in HDFS
    expect(await snapshottable()).toBeUndefined();
    await allow('/nest'); // nothing nested now
    expect(await snapshottable(other)).toEqual(['/|nest|0|65536']);
    await disallow('/nest');
  });
});

describe('createSnapshot, renameSnapshot, deleteSnapshot and the listings', () => {
  test("the owner's calls with HDFS's names, paths, messages and limits, seen alike on every namenode", async () => {
    await mkdirs('/home/alice/data/sub');
    await setOwner('/home/alice', 'alice');
    await setOwner('/home/alice/data', 'alice');
    expect(await refused(take('/home/alice/data', 's1', alice))).toEqual({ className: SNAPSHOT, message: 'Directory is not a snapshottable directory: /home/alice/data' });
    await allow('/home/alice/data');
    await mkdirs('/home/bob');
    await allow('/home/bob');

    expect(await take('/home/alice/data', 's1', alice)).toBe('/home/alice/data/.snapshot/s1');
    const defaultPath = await take('/home/alice/data', undefined, other);
    expect(defaultPath).toMatch(/^\/home\/alice\/data\/\.snapshot\/s\d{8}-\d{6}\.\d{3}$/);
    const defaultName = defaultPath.split('/').pop() as string;
    expect(await refused(take('/home/alice/data', 's1', alice))).toEqual({ className: SNAPSHOT, message: 'Failed to add snapshot: there is already a snapshot with the same name "s1".' });
    expect(await refused(take('/home/bob', 'x', alice))).toEqual({ className: ACCESS, message: 'Permission denied. user=alice is not the owner of inode=/home/bob' });
    expect(await refused(take('/home/alice/data', 'a/b', alice))).toEqual({ className: 'org.apache.hadoop.fs.InvalidPathException', message: 'Invalid snapshot name: a/b' });
    expect(await refused(take('/home/alice/data', '.snapshot', alice))).toEqual({ className: 'org.apache.hadoop.HadoopIllegalArgumentException', message: '".snapshot" is a reserved name.' });
    expect(await take('/home/alice/data', 's0', alice)).toBe('/home/alice/data/.snapshot/s0');
    expect(await refused(take('/home/alice/data', 's9', alice))).toEqual({
      className: SNAPSHOT,
      message: `Failed to add snapshot: there are already ${MAX_LIMIT} snapshot(s) and the max snapshot limit is ${MAX_LIMIT}`,
    });

    // By name, as HDFS keeps them; ids only grow.
    const listed = await names('/home/alice/data', other);
    expect(listed.map((s) => s.name)).toEqual(['s0', 's1', defaultName]);
    expect(listed.every((s) => s.parent === '/home/alice/data')).toBe(true);
    const byName = new Map(listed.map((s) => [s.name, s.id]));
    expect((byName.get('s1') as number) < (byName.get(defaultName) as number)).toBe(true);
    expect((byName.get(defaultName) as number) < (byName.get('s0') as number)).toBe(true);
    expect(await refused(names('/home/alice'))).toEqual({ className: SNAPSHOT, message: 'Directory is not a snapshottable directory: /home/alice' });

    // The superuser sees every snapshottable directory; anyone else their own.
    expect(await snapshottable()).toEqual(['/home|bob|0|65536', '/home/alice|data|3|65536']);
    expect(await snapshottable(alice)).toEqual(['/home/alice|data|3|65536']);

    expect(await refused(rename('/home/alice/data', 'nope', 's2', alice))).toEqual({ className: SNAPSHOT, message: 'The snapshot nope does not exist for directory /home/alice/data' });
    expect(await refused(rename('/home/alice/data', 's1', 's0', alice))).toEqual({ className: SNAPSHOT, message: 'The snapshot s0 already exists for directory /home/alice/data' });
    expect(await refused(rename('/home/alice/data', 's1', '', alice))).toEqual({ className: 'java.io.IOException', message: 'The new snapshot name is null or empty.' });
    await rename('/home/alice/data', 's1', 's1', alice);
    await rename('/home/alice/data', 's1', 'first', alice);
    expect((await names('/home/alice/data')).map((s) => s.name)).toEqual(['first', 's0', defaultName]);

    expect(await refused(drop('/home/alice/data', 's1', alice))).toEqual({
      className: SNAPSHOT,
      message: 'Cannot delete snapshot s1 from path /home/alice/data: the snapshot does not exist.',
    });
    expect(await refused(drop('/home/alice/data', 'first', await bobClient()))).toMatchObject({ className: ACCESS });

    // Snapshots pin the directory: no delete of it (or of anything above it), no disallow.
    expect(await refused(deletePath('/home/alice/data', other))).toEqual({
      className: SNAPSHOT,
      message: 'The directory /home/alice/data cannot be deleted since /home/alice/data is snapshottable and already has snapshots',
    });
    expect(await refused(deletePath('/home/alice'))).toEqual({
      className: SNAPSHOT,
      message: 'The directory /home/alice/data cannot be deleted since /home/alice/data is snapshottable and already has snapshots',
    });
    expect(await refused(disallow('/home/alice/data'))).toEqual({
      className: SNAPSHOT,
      message: 'The directory /home/alice/data has snapshot(s). Please redo the operation after removing all the snapshots.',
    });
    for (const name of ['first', defaultName, 's0']) await drop('/home/alice/data', name, alice);
    expect(await names('/home/alice/data', other)).toEqual([]);
    // A snapshottable directory without snapshots goes with its subtree, and with it its snapshottable row.
    expect((await deletePath('/home/alice', other)).result).toBe(true);
    expect(await snapshottable()).toEqual(['/home|bob|0|65536']);
  });

  let bob: IpcClient | undefined;
  const bobClient = async () => (bob ??= await connect(f.namenode.rpcPort, 'bob'));
  afterAll(async () => {
    await bob?.close();
  });
});

describe('.snapshot paths are read-only', () => {
  test('every write through a .snapshot component answers SnapshotAccessControlException and changes nothing', async () => {
    await mkdirs('/ro/d');
    await allow('/ro');
    await take('/ro', 'k');
    const readOnly = { className: READ_ONLY, message: 'Modification on a read-only snapshot is disallowed' };
    expect(await refused(mkdirs('/ro/.snapshot/k/new'))).toEqual(readOnly);
    expect(await refused(create('/ro/.snapshot/k/f'))).toEqual(readOnly);
    expect(await refused(deletePath('/ro/.snapshot/k/d'))).toEqual(readOnly);
    expect(await refused(su.call('rename', H.RenameRequestProto, { src: '/ro/d', dst: '/ro/.snapshot/k/e' }, H.RenameResponseProto))).toEqual(readOnly);
    expect(await refused(su.call('setPermission', H.SetPermissionRequestProto, { src: '/ro/.snapshot/k/d', permission: { perm: 0o700 } }, H.SetPermissionResponseProto))).toEqual(readOnly);
    expect(await exists('/ro/d')).toBe(true);
    expect((await names('/ro')).map((s) => s.name)).toEqual(['k']);
    await drop('/ro', 'k');
  });
});

describe('getSnapshotDiffReport', () => {
  const diff = async (snapshotRoot: string, fromSnapshot: string, toSnapshot: string) =>
    ((await su.call('getSnapshotDiffReport', H.GetSnapshotDiffReportRequestProto, { snapshotRoot, fromSnapshot, toSnapshot }, H.GetSnapshotDiffReportResponseProto)).diffReport.diffReportEntries ?? [])
      .map((e) => {
        const rel = (p: Uint8Array) => (p.length === 0 ? '.' : `./${Buffer.from(p).toString()}`);
        return `${e.modificationLabel} ${rel(e.fullpath)}${e.targetPath && e.targetPath.length > 0 ? ` -> ${rel(e.targetPath)}` : ''}`;
      })
      .sort();
  const move = (src: string, dst: string) => su.call('rename', H.RenameRequestProto, { src, dst }, H.RenameResponseProto);

  test("create, delete, rename within, out and in, chmod and nested mkdirs, labelled as HDFS's SnapshotDiffReport does", async () => {
    await Promise.all([mkdirs('/df/a'), mkdirs('/df/b'), mkdirs('/outside/x')]);
    await Promise.all([create('/df/b/c'), create('/df/d'), create('/df/e')]);
    await allow('/df');
    await take('/df', 's1');
    expect(await diff('/df', 's1', '')).toEqual([]);
    await create('/df/new');
    await deletePath('/df/d');
    await move('/df/e', '/df/b/e2');
    await mkdirs('/df/n/deep');
    await su.call('setPermission', H.SetPermissionRequestProto, { src: '/df/a', permission: { perm: 0o700 } }, H.SetPermissionResponseProto);
    await move('/df/b/c', '/outside/c');
    await move('/outside/x', '/df/x');
    await take('/df', 's2');
    const changes = ['+ ./n', '+ ./new', '+ ./x', '- ./b/c', '- ./d', 'M .', 'M ./a', 'M ./b', 'R ./e -> ./b/e2'];
    expect(await diff('/df', 's1', 's2')).toEqual(changes);
    expect(await diff('/df', 's1', '')).toEqual(changes);
    // From the later snapshot to the earlier: created and deleted swap, renames turn round.
    expect(await diff('/df', 's2', 's1')).toEqual(['+ ./b/c', '+ ./d', '- ./n', '- ./new', '- ./x', 'M .', 'M ./a', 'M ./b', 'R ./b/e2 -> ./e']);
    // The paged form DistCp reads: the three lists from the earlier snapshot, renames as referenced deletes with a target, one last page.
    const listing = async (fromSnapshot: string, toSnapshot: string) => {
      const r = (await su.call('getSnapshotDiffReportListing', H.GetSnapshotDiffReportListingRequestProto, { snapshotRoot: '/df', fromSnapshot, toSnapshot }, H.GetSnapshotDiffReportListingResponseProto)).diffReport;
      const show = (e: hadoop.hdfs.ISnapshotDiffReportListingEntryProto) =>
        `${Buffer.from(e.fullpath).toString() || '.'}${e.isReference ? '*' : ''}${e.targetPath && e.targetPath.length > 0 ? `>${Buffer.from(e.targetPath).toString()}` : ''}`;
      return {
        modified: (r.modifiedEntries ?? []).map(show),
        created: (r.createdEntries ?? []).map(show),
        deleted: (r.deletedEntries ?? []).map(show),
        isFromEarlier: r.isFromEarlier,
        cursor: [Buffer.from(r.cursor?.startPath ?? []).toString(), r.cursor?.index],
      };
    };
    const lists = { modified: ['.*', 'a*', 'b*'], created: ['b/e2*', 'n', 'new', 'x'], deleted: ['b/c', 'd', 'e*>b/e2'], cursor: ['', -1] };
    expect(await listing('s1', 's2')).toEqual({ ...lists, isFromEarlier: true });
    expect(await listing('s2', 's1')).toEqual({ ...lists, isFromEarlier: false });
    await deletePath('/df/new');
    expect(await diff('/df', 's2', '')).toEqual(['- ./new', 'M .']);
    expect(await diff('/df', '', '')).toEqual([]);
    expect(await diff('/df', 's2', 's2')).toEqual([]);
    expect(await refused(diff('/df', 's1', 'nope'))).toEqual({ className: SNAPSHOT, message: 'Cannot find the snapshot of directory /df with name nope' });
    expect(await refused(diff('/outside', 's1', ''))).toEqual({ className: SNAPSHOT, message: 'Directory is not a snapshottable directory: /outside' });
  });
});

describe('getXAttrs and getAclStatus through .snapshot', () => {
  const setXAttr = (src: string, value: string) =>
    su.call('setXAttr', H.SetXAttrRequestProto, { src, xAttr: { namespace: 0, name: 'k', value: Buffer.from(value) }, flag: 3 }, H.SetXAttrResponseProto);
  const xattrs = async (src: string) =>
    ((await su.call('getXAttrs', H.GetXAttrsRequestProto, { src }, H.GetXAttrsResponseProto)).xAttrs ?? []).map((x) => `${x.name}=${Buffer.from(x.value ?? []).toString()}`);
  const acl = async (src: string) =>
    (await su.call('getAclStatus', H.GetAclStatusRequestProto, { src }, H.GetAclStatusResponseProto)).result.entries!.map((e) => `${e.type}:${e.name ?? ''}:${e.permissions}`);
  const bob = { scope: 0, type: 0, name: 'bob', permissions: 4 } as hadoop.hdfs.IAclEntryProto;

  test('the ACL and the xattrs are the ones the snapshot saw; a file created later is not there', async () => {
    await mkdirs('/xa/d');
    await create('/xa/f');
    await setXAttr('/xa/f', 'v1');
    await su.call('modifyAclEntries', H.ModifyAclEntriesRequestProto, { src: '/xa/f', aclSpec: [bob] }, H.ModifyAclEntriesResponseProto);
    await allow('/xa');
    await take('/xa', 's1');
    await su.call('removeAcl', H.RemoveAclRequestProto, { src: '/xa/f' }, H.RemoveAclResponseProto);
    await create('/xa/later');

    expect(await acl('/xa/f')).toEqual([]);
    // The row version the removeAcl copied keeps the ACL (ACL entries live on the inode row).
    const seen = await acl('/xa/.snapshot/s1/f');
    process.stdout.write(`getAclStatus /xa/.snapshot/s1/f: ${seen.join(' ')}\n`);
    expect(seen).toContain('0:bob:4');
    expect(await xattrs('/xa/.snapshot/s1/f')).toEqual(['k=v1']);
    expect(await acl('/xa/.snapshot/s1')).toEqual([]);
    expect(await acl('/xa/.snapshot')).toEqual([]);
    expect((await refused(acl('/xa/.snapshot/s1/later'))).className).toBe('java.io.FileNotFoundException');
    expect((await refused(xattrs('/xa/.snapshot/s1/later'))).className).toBe('java.io.FileNotFoundException');
    expect((await refused(xattrs('/xa/.snapshot/nope/f'))).className).toBe('java.io.FileNotFoundException');
  });
});

describe('a directory a create touches without its lock', () => {
  const mtime = async (src: string) => Number((await su.call('getFileInfo', H.GetFileInfoRequestProto, { src }, H.GetFileInfoResponseProto)).fs?.modificationTime);
  const pause = () => new Promise((r) => setTimeout(r, 20));
  test('creates and mkdirs into a snapshotted directory keep its mtime as the snapshot saw it', async () => {
    await mkdirs('/tc/sub');
    await create('/tc/sub/a');
    await allow('/tc');
    await take('/tc', 's1');
    const before = await mtime('/tc/sub');
    await pause();
    // Creates take the optimistic path (the directory read without a lock, touched by one guarded statement) outside snapshots.
    await Promise.all([create('/tc/sub/b'), create('/tc/sub/c'), mkdirs('/tc/sub/d')]);
    const after = await mtime('/tc/sub');
    expect(after).toBeGreaterThan(before);
    expect(await mtime('/tc/.snapshot/s1/sub')).toBe(before);
    await take('/tc', 's2');
    await pause();
    await create('/tc/sub/e');
    expect(await mtime('/tc/sub')).toBeGreaterThan(after);
    expect(await mtime('/tc/.snapshot/s2/sub')).toBe(after);
    expect(await mtime('/tc/.snapshot/s1/sub')).toBe(before);
  });
});
