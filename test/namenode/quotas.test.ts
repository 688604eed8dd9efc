import Long from 'long';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { hdfs, stdoutOf } from '../harness/go-hdfs';

/**
 * Quotas over Hadoop IPC against a real namenode, MariaDB and one datanode:
 * setQuota's answers as Hadoop gives them, and every place HDFS throws
 * NSQuotaExceededException, DSQuotaExceededException or
 * QuotaByStorageTypeExceededException, with Hadoop's messages.
 */

const H = hadoop.hdfs;
const MiB = 1 << 20;
const DONT_SET = Long.fromString('9223372036854775807', true);
const RESET = -1;
const CLIENT = 'DFSClient_quotas';

let f: DataFleet;
let c: IpcClient;

beforeAll(async () => {
  f = await dataFleet('quotas', 1, { blockSize: MiB, replication: 1 });
  c = await IpcClient.connect({ host: '127.0.0.1', port: f.namenode.rpcPort, user: f.superuser, protocolName: CLIENT_PROTOCOL });
}, 90_000);
afterAll(async () => {
  await c?.close();
  await f?.close();
});

type Quota = number | Long;
const setQuota = (path: string, ns: Quota, ss: Quota, storageType?: hadoop.hdfs.StorageTypeProto, on: IpcClient = c) =>
  on.call('setQuota', H.SetQuotaRequestProto, { path, namespaceQuota: ns, storagespaceQuota: ss, ...(storageType ? { storageType } : {}) }, H.SetQuotaResponseProto);
const usage = async (path: string) => {
  const u = (await c.call('getQuotaUsage', H.GetQuotaUsageRequestProto, { path }, H.GetQuotaUsageResponseProto)).usage;
  return {
    count: Number(u.fileAndDirectoryCount),
    quota: Long.fromValue(u.quota).toSigned().toNumber(),
    consumed: Number(u.spaceConsumed),
    spaceQuota: Long.fromValue(u.spaceQuota).toSigned().toNumber(),
  };
};
const mkdirs = (src: string) => c.call('mkdirs', H.MkdirsRequestProto, { src, masked: { perm: 0o755 }, createParent: true }, H.MkdirsResponseProto);
const create = (src: string, replication = 1) =>
  c.call('create', H.CreateRequestProto, { src, masked: { perm: 0o644 }, clientName: CLIENT, createFlag: 1, createParent: true, replication, blockSize: MiB }, H.CreateResponseProto);
const addBlock = async (src: string) => (await c.call('addBlock', H.AddBlockRequestProto, { src, clientName: CLIENT }, H.AddBlockResponseProto)).block.b;
const refused = async (p: Promise<unknown>) =>
  p.then(
    () => ({ className: 'none', message: '' }),
    (e: { className?: string; message?: string }) => ({ className: e.className, message: e.message }),
  );
const NS = 'org.apache.hadoop.hdfs.protocol.NSQuotaExceededException';
const DS = 'org.apache.hadoop.hdfs.protocol.DSQuotaExceededException';

describe('setQuota answers as Hadoop does', () => {
  test('superuser only; a file, a missing path, the root, illegal values, a type quota with a namespace quota', async () => {
    await mkdirs('/answers/d');
    await create('/answers/file');
    const bob = await IpcClient.connect({ host: '127.0.0.1', port: f.namenode.rpcPort, user: 'bob', protocolName: CLIENT_PROTOCOL });
    try {
      expect(await refused(setQuota('/answers/d', 5, DONT_SET, undefined, bob))).toEqual({
        className: 'org.apache.hadoop.security.AccessControlException',
        message: 'Access denied for user bob. Superuser privilege is required',
      });
    } finally {
      await bob.close();
    }
    expect(await refused(setQuota('/answers/file', 5, DONT_SET))).toEqual({ className: 'org.apache.hadoop.fs.PathIsNotDirectoryException', message: "`/answers/file': Is not a directory" });
    expect(await refused(setQuota('/answers/none', 5, DONT_SET))).toEqual({ className: 'java.io.FileNotFoundException', message: 'Directory does not exist: /answers/none' });
    expect(await refused(setQuota('/', RESET, DONT_SET))).toEqual({ className: 'java.lang.IllegalArgumentException', message: 'Cannot clear namespace quota on root.' });
    expect(await refused(setQuota('/answers/d', -5, DONT_SET))).toEqual({
      className: 'java.lang.IllegalArgumentException',
      message: 'Illegal value for nsQuota or ssQuota : -5 and 9223372036854775807',
    });
    expect(await refused(setQuota('/answers/d', 5, MiB, H.StorageTypeProto.SSD))).toEqual({
      className: 'org.apache.hadoop.hdfs.protocol.UnsupportedActionException',
      message: 'Failed to set quota by storage type because eitherdfs.quota.by.storage.type.enabled is set to true or nsQuota value is illegal 5',
    });
    // A directory without a quota answers none, counted as the content summary counts it.
    expect(await usage('/answers')).toEqual({ count: 3, quota: -1, consumed: 0, spaceQuota: -1 });
    // A namespace quota on the root is HDFS's to set too; clearing the space quota leaves it.
    await setQuota('/', 1_000_000, DONT_SET);
    expect((await usage('/')).quota).toBe(1_000_000);
    await setQuota('/', DONT_SET, RESET);
    expect((await usage('/')).quota).toBe(1_000_000);
    await setQuota('/', 9_000_000, DONT_SET);
    expect(await usage('/')).toMatchObject({ quota: 9_000_000, spaceQuota: -1 });
  });
});

describe('namespace quota', () => {
  test('counts the directory itself; create, mkdirs, symlink and rename into it are refused past it; clearing lifts it', async () => {
    await mkdirs('/nsq');
    await setQuota('/nsq', 3, DONT_SET);
    expect(await usage('/nsq')).toEqual({ count: 1, quota: 3, consumed: 0, spaceQuota: -1 });
    await create('/nsq/a');
    await mkdirs('/nsq/b');
    const full = (n: number) => ({ className: NS, message: `The NameSpace quota (directories and files) of directory /nsq is exceeded: quota=3 file count=${n}` });
    expect(await refused(create('/nsq/c'))).toEqual(full(4));
    expect(await refused(mkdirs('/nsq/b/deeper'))).toEqual(full(4));
    expect(await refused(c.call('createSymlink', H.CreateSymlinkRequestProto, { target: '/x', link: '/nsq/l', dirPerm: { perm: 0o755 }, createParent: false }, H.CreateSymlinkResponseProto))).toEqual(full(4));
    await mkdirs('/outside/two/levels');
    expect(await refused(c.call('rename2', H.Rename2RequestProto, { src: '/outside/two', dst: '/nsq/two', overwriteDest: false }, H.Rename2ResponseProto))).toEqual(full(5));
    // Renames inside the quota directory and deletes are always allowed; a delete frees room.
    expect((await c.call('rename', H.RenameRequestProto, { src: '/nsq/a', dst: '/nsq/b/a' }, H.RenameResponseProto)).result).toBe(true);
    await c.call('delete', H.DeleteRequestProto, { src: '/nsq/b', recursive: true }, H.DeleteResponseProto);
    expect(await usage('/nsq')).toMatchObject({ count: 1 });
    expect((await c.call('rename', H.RenameRequestProto, { src: '/outside/two', dst: '/nsq/two' }, H.RenameResponseProto)).result).toBe(true);
    expect(await usage('/nsq')).toMatchObject({ count: 3 });
    // Moving out gives the room back.
    expect((await c.call('rename', H.RenameRequestProto, { src: '/nsq/two', dst: '/outside/two' }, H.RenameResponseProto)).result).toBe(true);
    expect(await usage('/nsq')).toMatchObject({ count: 1 });
    await setQuota('/nsq', 1, DONT_SET);
    expect(await refused(create('/nsq/one'))).toEqual({ className: NS, message: 'The NameSpace quota (directories and files) of directory /nsq is exceeded: quota=1 file count=2' });
    await setQuota('/nsq', RESET, DONT_SET);
    await create('/nsq/one');
    // Without any quota the directory counts nothing: the answer is the content summary's.
    expect(await usage('/nsq')).toEqual({ count: 2, quota: -1, consumed: 0, spaceQuota: -1 });
    const summary = (await c.call('getContentSummary', H.GetContentSummaryRequestProto, { path: '/nsq' }, H.GetContentSummaryResponseProto)).summary;
    expect(Long.fromValue(summary.quota).toSigned().toNumber()).toBe(-1);
  });

  test('a nested quota refuses at the deepest directory that overflows, as verifyQuota walks up', async () => {
    await mkdirs('/outer/inner');
    await setQuota('/outer', 10, DONT_SET);
    await setQuota('/outer/inner', 2, DONT_SET);
    await create('/outer/inner/x');
    expect(await refused(create('/outer/inner/y'))).toEqual({ className: NS, message: 'The NameSpace quota (directories and files) of directory /outer/inner is exceeded: quota=2 file count=3' });
    expect(await usage('/outer')).toMatchObject({ count: 3, quota: 10 });
  });
});

describe('storage-space quota', () => {
  test('addBlock charges replication x preferred block size; abandonBlock gives it back; setReplication raising usage is refused', async () => {
    await mkdirs('/ds');
    await setQuota('/ds', DONT_SET, 3 * MiB);
    await create('/ds/a', 2);
    await addBlock('/ds/a');
    await create('/ds/b', 1);
    const b = await addBlock('/ds/b');
    expect(await usage('/ds')).toEqual({ count: 3, quota: -1, consumed: 3 * MiB, spaceQuota: 3 * MiB });
    await create('/ds/c', 1);
    expect(await refused(addBlock('/ds/c'))).toEqual({
      className: DS,
      message: 'The DiskSpace quota of /ds is exceeded: quota = 3145728 B = 3 MB but diskspace consumed = 4194304 B = 4 MB',
    });
    await c.call('abandonBlock', H.AbandonBlockRequestProto, { b, src: '/ds/b', holder: CLIENT }, H.AbandonBlockResponseProto);
    expect((await usage('/ds')).consumed).toBe(2 * MiB);
    await addBlock('/ds/c');
    expect((await usage('/ds')).consumed).toBe(3 * MiB);
    expect(await refused(c.call('setReplication', H.SetReplicationRequestProto, { src: '/ds/c', replication: 2 }, H.SetReplicationResponseProto))).toEqual({
      className: DS,
      message: 'The DiskSpace quota of /ds is exceeded: quota = 3145728 B = 3 MB but diskspace consumed = 4194304 B = 4 MB',
    });
    // Lowering it is always allowed.
    await c.call('setReplication', H.SetReplicationRequestProto, { src: '/ds/a', replication: 1 }, H.SetReplicationResponseProto);
    expect((await usage('/ds')).consumed).toBe(2 * MiB);
  });

  test('written files count their length; append charges the reopened block at the preferred size; concat at the target\'s replication', async () => {
    await mkdirs('/app');
    await stdoutOf(hdfs(f.address, f.superuser, ['put', '-', '/app/f'], 'x'.repeat(100)));
    await stdoutOf(hdfs(f.address, f.superuser, ['put', '-', '/app/g'], 'y'.repeat(100)));
    await setQuota('/app', DONT_SET, 1000);
    expect(await usage('/app')).toEqual({ count: 3, quota: -1, consumed: 200, spaceQuota: 1000 });
    expect(await refused(c.call('append', H.AppendRequestProto, { src: '/app/f', clientName: CLIENT }, H.AppendResponseProto))).toEqual({
      className: DS,
      message: 'The DiskSpace quota of /app is exceeded: quota = 1000 B = 1000 B but diskspace consumed = 1048676 B = 1.00 MB',
    });
    await c.call('setReplication', H.SetReplicationRequestProto, { src: '/app/f', replication: 2 }, H.SetReplicationResponseProto);
    expect((await usage('/app')).consumed).toBe(300);
    await setQuota('/app', DONT_SET, 350);
    expect(await refused(c.call('concat', H.ConcatRequestProto, { trg: '/app/f', srcs: ['/app/g'] }, H.ConcatResponseProto))).toEqual({
      className: DS,
      message: 'The DiskSpace quota of /app is exceeded: quota = 350 B = 350 B but diskspace consumed = 400 B = 400 B',
    });
    await setQuota('/app', DONT_SET, 400);
    await c.call('concat', H.ConcatRequestProto, { trg: '/app/f', srcs: ['/app/g'] }, H.ConcatResponseProto);
    expect(await usage('/app')).toEqual({ count: 2, quota: -1, consumed: 400, spaceQuota: 400 });
  });

  test('a quota by storage type counts each replica on the type its storage policy chooses', async () => {
    await mkdirs('/typed');
    await setQuota('/typed', DONT_SET, MiB, H.StorageTypeProto.DISK);
    await create('/typed/f', 2);
    expect(await refused(addBlock('/typed/f'))).toEqual({
      className: 'org.apache.hadoop.hdfs.protocol.QuotaByStorageTypeExceededException',
      message: 'Quota by storage type : DISK on path : /typed is exceeded. quota = 1 MB but space consumed = 2 MB',
    });
    const u = (await c.call('getQuotaUsage', H.GetQuotaUsageRequestProto, { path: '/typed' }, H.GetQuotaUsageResponseProto)).usage;
    expect((u.typeQuotaInfos?.typeQuotaInfo ?? []).map((t) => ({ type: t.type, quota: Number(t.quota), consumed: Number(t.consumed) }))).toEqual([
      { type: H.StorageTypeProto.DISK, quota: MiB, consumed: 0 },
    ]);
  });
});

test('setQuota on a directory with content counts what is there, open files at their blocks being written', async () => {
  await mkdirs('/full/sub/deeper');
  await stdoutOf(hdfs(f.address, f.superuser, ['put', '-', '/full/sub/data'], 'z'.repeat(1000)));
  await create('/full/open', 1);
  await addBlock('/full/open');
  await setQuota('/full', 100, 10 * MiB);
  expect(await usage('/full')).toEqual({ count: 5, quota: 100, consumed: 1000 + MiB, spaceQuota: 10 * MiB });
  const summary = (await c.call('getContentSummary', H.GetContentSummaryRequestProto, { path: '/full' }, H.GetContentSummaryResponseProto)).summary;
  expect({ quota: Number(summary.quota), spaceQuota: Number(summary.spaceQuota), files: Number(summary.fileCount), dirs: Number(summary.directoryCount) }).toEqual({
    quota: 100,
    spaceQuota: 10 * MiB,
    files: 2,
    dirs: 3,
  });
});

test('WebHDFS SETQUOTA, SETQUOTABYSTORAGETYPE and GETQUOTAUSAGE', async () => {
  const http = async (method: string, path: string, query: string) => {
    const res = await fetch(`http://127.0.0.1:${f.namenode.httpPort}/webhdfs/v1${path}?${query}&user.name=${f.superuser}`, { method });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
  await mkdirs('/web/q');
  expect((await http('PUT', '/web/q', 'op=SETQUOTA&namespacequota=2&storagespacequota=5000')).status).toBe(200);
  expect((await http('PUT', '/web/q', 'op=SETQUOTABYSTORAGETYPE&storagetype=ssd&storagespacequota=7000')).status).toBe(200);
  expect(await http('GET', '/web/q', 'op=GETQUOTAUSAGE')).toEqual({
    status: 200,
    body: { QuotaUsage: { fileAndDirectoryCount: 1, quota: 2, spaceConsumed: 0, spaceQuota: 5000, typeQuota: { SSD: { consumed: 0, quota: 7000 } } } },
  });
  await mkdirs('/web/q/one');
  const refusedMkdir = await http('PUT', '/web/q/two', 'op=MKDIRS');
  expect(refusedMkdir.status).toBe(403);
  expect(refusedMkdir.body).toMatchObject({ RemoteException: { exception: 'NSQuotaExceededException', javaClassName: NS } });
  expect((await http('PUT', '/web/q', 'op=SETQUOTA&namespacequota=-1&storagespacequota=-1')).status).toBe(200);
  expect((await http('GET', '/web/q', 'op=GETQUOTAUSAGE')).body).toMatchObject({ QuotaUsage: { quota: -1, spaceQuota: -1, typeQuota: { SSD: { quota: 7000 } } } });
  expect((await http('PUT', '/web/q', 'op=SETQUOTA&namespacequota=abc')).status).toBe(400);
});
