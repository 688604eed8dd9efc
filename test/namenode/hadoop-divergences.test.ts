import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { hadoop } from '../../protocol/generated/hadoop';
import { ExceptionClass } from '../../protocol/ipc/exception-classes';
import { hdfs } from '../harness/go-hdfs';
import { fsShellBatch, type JavaRunOptions } from '../harness/java-hadoop';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

/**
 * Two places where nnfleet once answered differently from HDFS 3.4, through
 * the real namenode's Hadoop IPC door (FSDirectory.resolvePath,
 * FSPermissionChecker.checkTraverse, FSDirStatAndListingOp.getFileInfo,
 * FSDirWriteFileOp.startFile, FSNamesystem.recoverLeaseInternal):
 * a path through a file, and creating a file another client holds open.
 */
let fx: NamenodeFixture;
let root: NamenodeClient;
let alice: NamenodeClient;
let confDir: string;

beforeAll(async () => {
  fx = await namenodeFixture('divergences');
  root = await NamenodeClient.connect(fx.address, fx.superuser, 'DFSClient_root', new RpcCounter());
  alice = await NamenodeClient.connect(fx.address, 'alice', 'DFSClient_alice', new RpcCounter());
  await root.mkdirs('/d', 0o777);
  await root.create('/d/file', { replication: 1 });
  expect(await root.complete('/d/file')).toBe(true);
  confDir = mkdtempSync(join(tmpdir(), 'nndiv-conf-'));
  writeFileSync(join(confDir, 'core-site.xml'), `<configuration><property><name>fs.defaultFS</name><value>hdfs://${fx.address}</value></property></configuration>\n`);
}, 60_000);

afterAll(async () => {
  await root?.ipc.close();
  await alice?.ipc.close();
  await fx?.close();
  if (confDir) rmSync(confDir, { recursive: true, force: true });
});

/** What a call answered: its exception class and message, or 'ok' with the value. */
async function outcome(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    (value) => ({ ok: value ?? null }),
    (e: { className?: string; message: string }) => ({ className: e.className, message: e.message }),
  );
}

const notADirectory = { className: ExceptionClass.AccessControl, message: '/d/file (is not a directory)' };

describe('a path through a file', () => {
  test('getFileInfo: null for the superuser, AccessControlException for anyone else', async () => {
    expect(await outcome(root.getFileInfo('/d/file/child'))).toEqual({ ok: null });
    expect(await outcome(root.getFileInfo('/d/file/child/deeper'))).toEqual({ ok: null });
    expect(await outcome(alice.getFileInfo('/d/file/child'))).toEqual(notADirectory);
    expect(await outcome(alice.getFileInfo('/d/file/child/deeper'))).toEqual(notADirectory);
  });

  test('getListing, getBlockLocations, getContentSummary: AccessControlException for everyone, the superuser too', async () => {
    for (const who of [root, alice]) {
      expect(await outcome(who.getListing('/d/file/child'))).toEqual(notADirectory);
      expect(await outcome(who.getBlockLocations('/d/file/child'))).toEqual(notADirectory);
      expect(await outcome(who.getContentSummary('/d/file/child'))).toEqual(notADirectory);
    }
  });

  test('delete and setPermission: AccessControlException for everyone, not false or FileNotFoundException', async () => {
    for (const who of [root, alice]) {
      expect(await outcome(who.delete('/d/file/child', false))).toEqual(notADirectory);
      expect(await outcome(who.setPermission('/d/file/child', 0o700))).toEqual(notADirectory);
    }
    expect(await root.getFileInfo('/d/file')).toMatchObject({ fileType: 2 });
  });

  test('a directory above the file that may not be traversed is refused first, as the checker walks down', async () => {
    await root.mkdirs('/locked/in', 0o755);
    await root.create('/locked/in/file', { replication: 1 });
    expect(await root.complete('/locked/in/file')).toBe(true);
    await root.setPermission('/locked', 0o700);
    const refused = (await outcome(alice.getFileInfo('/locked/in/file/child'))) as { className: string; message: string };
    expect(refused.className).toBe(ExceptionClass.AccessControl);
    expect(refused.message).toMatch(/^Permission denied: user=alice, access=EXECUTE, inode="\/locked":/);
    // So is a delete of a path that does not exist there: resolvePath checks before delete answers false.
    expect(await outcome(alice.delete('/locked/in/missing', false))).toEqual({ className: ExceptionClass.AccessControl, message: expect.stringMatching(/access=EXECUTE, inode="\/locked":/) });
  });

  test('the Go client: alice is refused, the superuser told it does not exist', async () => {
    expect(await hdfs(fx.address, 'alice', ['ls', '/d/file/child'])).toMatchObject({ code: 1, stderr: 'stat /d/file/child: permission denied\n' });
    expect(await hdfs(fx.address, fx.superuser, ['ls', '/d/file/child'])).toMatchObject({ code: 1, stderr: 'stat /d/file/child: file does not exist\n' });
  });

  test('the Java client (FsShell -ls and -test -e): alice sees the AccessControlException, the superuser no such file', async () => {
    const as = (user: string): JavaRunOptions => ({ confDir, user });
    const [aliceLs, aliceTest] = await fsShellBatch([['-ls', '/d/file/child'], ['-test', '-e', '/d/file/child']], as('alice'));
    expect(aliceLs?.code).not.toBe(0);
    expect(aliceLs?.stderr).toContain('ls: /d/file (is not a directory)');
    expect(aliceTest?.code).not.toBe(0);
    expect(aliceTest?.stderr).toContain('/d/file (is not a directory)');
    const [rootLs, rootTest] = await fsShellBatch([['-ls', '/d/file/child'], ['-test', '-e', '/d/file/child']], as(fx.superuser));
    expect(rootLs?.code).not.toBe(0);
    expect(rootLs?.stderr).toContain("ls: `/d/file/child': No such file or directory");
    expect(rootTest).toMatchObject({ code: 1, stderr: '' });
  }, 60_000);
});

describe('a write through a file (resolvePath with DirOp.WRITE or WRITE_LINK)', () => {
  const H = hadoop.hdfs;
  const aclSpec = [{ scope: H.AclEntryProto.AclEntryScopeProto.ACCESS, type: H.AclEntryProto.AclEntryTypeProto.USER, name: 'bob', permissions: H.AclEntryProto.FsActionProto.READ }];
  const xAttr = { namespace: H.XAttrProto.XAttrNamespaceProto.USER, name: 'a' };
  /** Every write that creates nothing, each at a path below /d/file. */
  const writes = (c: NamenodeClient): Array<[string, () => Promise<unknown>]> => [
    ['rename2 (source)', () => c.ipc.call('rename2', H.Rename2RequestProto, { src: '/d/file/child', dst: '/d/moved', overwriteDest: false }, H.Rename2ResponseProto)],
    ['rename (source)', () => c.rename('/d/file/child', '/d/moved')],
    ['append', () => c.append('/d/file/child', 0)],
    ['truncate', () => c.ipc.call('truncate', H.TruncateRequestProto, { src: '/d/file/child', newLength: 0, clientName: c.clientName }, H.TruncateResponseProto)],
    ['concat (target)', () => c.ipc.call('concat', H.ConcatRequestProto, { trg: '/d/file/child', srcs: ['/d/file'] }, H.ConcatResponseProto)],
    ['concat (source)', () => c.ipc.call('concat', H.ConcatRequestProto, { trg: '/d/alice-file', srcs: ['/d/file/child'] }, H.ConcatResponseProto)],
    ['setXAttr', () => c.ipc.call('setXAttr', H.SetXAttrRequestProto, { src: '/d/file/child', xAttr: { ...xAttr, value: Buffer.from('1') }, flag: 1 }, H.SetXAttrResponseProto)],
    ['removeXAttr', () => c.ipc.call('removeXAttr', H.RemoveXAttrRequestProto, { src: '/d/file/child', xAttr }, H.RemoveXAttrResponseProto)],
    ['modifyAclEntries', () => c.ipc.call('modifyAclEntries', H.ModifyAclEntriesRequestProto, { src: '/d/file/child', aclSpec }, H.ModifyAclEntriesResponseProto)],
    ['removeAclEntries', () => c.ipc.call('removeAclEntries', H.RemoveAclEntriesRequestProto, { src: '/d/file/child', aclSpec }, H.RemoveAclEntriesResponseProto)],
    ['removeDefaultAcl', () => c.ipc.call('removeDefaultAcl', H.RemoveDefaultAclRequestProto, { src: '/d/file/child' }, H.RemoveDefaultAclResponseProto)],
    ['removeAcl', () => c.ipc.call('removeAcl', H.RemoveAclRequestProto, { src: '/d/file/child' }, H.RemoveAclResponseProto)],
    ['setAcl', () => c.ipc.call('setAcl', H.SetAclRequestProto, { src: '/d/file/child', aclSpec }, H.SetAclResponseProto)],
    ['setStoragePolicy', () => c.ipc.call('setStoragePolicy', H.SetStoragePolicyRequestProto, { src: '/d/file/child', policyName: 'COLD' }, H.SetStoragePolicyResponseProto)],
    ['getPreferredBlockSize', () => c.ipc.call('getPreferredBlockSize', H.GetPreferredBlockSizeRequestProto, { filename: '/d/file/child' }, H.GetPreferredBlockSizeResponseProto)],
  ];

  beforeAll(async () => {
    await alice.create('/d/alice-file', { replication: 1 });
    expect(await alice.complete('/d/alice-file')).toBe(true);
  });

  test.each([['the superuser', () => root], ['alice', () => alice]])('%s: AccessControlException for each, not FileNotFoundException or false', async (_who, client) => {
    const answers: Record<string, unknown> = {};
    for (const [name, call] of writes(client())) answers[name] = await outcome(call());
    expect(answers).toEqual(Object.fromEntries(writes(client()).map(([name]) => [name, notADirectory])));
    const file = await root.getFileInfo('/d/file');
    expect([file?.fileType, Number(file?.length)]).toEqual([2, 0]);
    expect(await root.getFileInfo('/d/moved')).toBeUndefined();
  });

  test('the rename destination through a file stays ParentNotDirectoryException (DirOp.CREATE_LINK), getPreferredBlockSize of a directory FileNotFoundException', async () => {
    await root.mkdirs('/d/src', 0o755);
    expect(await outcome(root.ipc.call('rename2', H.Rename2RequestProto, { src: '/d/src', dst: '/d/file/child', overwriteDest: false }, H.Rename2ResponseProto))).toEqual({
      className: ExceptionClass.ParentNotDirectory,
      message: '/d/file (is not a directory)',
    });
    const size = (filename: string) => root.ipc.call('getPreferredBlockSize', H.GetPreferredBlockSizeRequestProto, { filename }, H.GetPreferredBlockSizeResponseProto);
    expect(await outcome(size('/d/src'))).toEqual({ className: ExceptionClass.FileNotFound, message: 'Path is not a file: /d/src' });
    expect(await outcome(size('/d/none'))).toEqual({ className: ExceptionClass.FileNotFound, message: 'File does not exist: /d/none' });
    expect(((await size('/d/file')) as { bsize: unknown }).bsize).toEqual(expect.anything());
  });
});

describe('create of a file another client holds open', () => {
  test('without OVERWRITE: AlreadyBeingCreatedException, naming the holder or telling the holder it holds it', async () => {
    await alice.create('/d/open', { replication: 1 });
    const bob = await NamenodeClient.connect(fx.address, 'bob', 'DFSClient_bob', new RpcCounter());
    try {
      expect(await outcome(bob.create('/d/open', { replication: 1 }))).toEqual({
        className: ExceptionClass.AlreadyBeingCreated,
        message: expect.stringMatching(/^Failed to CREATE_FILE \/d\/open for DFSClient_bob on \S+ because this file lease is currently owned by DFSClient_alice on \S+$/),
      });
      expect(await outcome(alice.create('/d/open', { replication: 1 }))).toEqual({
        className: ExceptionClass.AlreadyBeingCreated,
        message: expect.stringMatching(/^Failed to CREATE_FILE \/d\/open for DFSClient_alice on \S+ because DFSClient_alice is already the current lease holder\.$/),
      });
      // Closed, the same create is FileAlreadyExistsException.
      expect(await alice.complete('/d/open')).toBe(true);
      expect(await outcome(bob.create('/d/open', { replication: 1 }))).toEqual({
        className: ExceptionClass.FileAlreadyExists,
        message: expect.stringMatching(/^\/d\/open for client \S+ already exists$/),
      });
    } finally {
      await bob.ipc.close();
    }
  });

  test('with OVERWRITE: the open file is replaced (startFile deletes it, no lease check), and its old writer cannot close it', async () => {
    await alice.create('/d/open2', { replication: 1, permission: 0o666 });
    const bob = await NamenodeClient.connect(fx.address, 'bob', 'DFSClient_bob2', new RpcCounter());
    try {
      const before = await root.getFileInfo('/d/open2');
      expect(await outcome(bob.create('/d/open2', { replication: 1, overwrite: true }))).toEqual({ ok: null });
      const after = await root.getFileInfo('/d/open2');
      expect(after?.fileId).not.toEqual(before?.fileId);
      expect(after?.owner).toBe('bob');
      expect(await outcome(alice.complete('/d/open2'))).toEqual({ className: ExceptionClass.LeaseExpired, message: expect.stringContaining('DFSClient_bob2') });
      expect(await bob.complete('/d/open2')).toBe(true);
    } finally {
      await bob.ipc.close();
    }
  });
});

describe("LeaseExpiredException in HDFS 3.4's words (FSNamesystem.checkLease, leaseExceptionString)", () => {
  test('not the lease owner, not open for writing, gone: the path, its inode, then the caller\'s lease or that it holds nothing', async () => {
    const carol = await NamenodeClient.connect(fx.address, 'carol', 'DFSClient_carol', new RpcCounter());
    const dave = await NamenodeClient.connect(fx.address, 'dave', 'DFSClient_dave', new RpcCounter());
    try {
      await carol.create('/d/c1', { replication: 1, permission: 0o666 });
      const openId = Number((await root.getFileInfo('/d/c1'))?.fileId);
      const closedId = Number((await root.getFileInfo('/d/file'))?.fileId);
      expect(await outcome(dave.addBlock('/d/c1', undefined))).toEqual({
        className: ExceptionClass.LeaseExpired,
        message: `Client (=DFSClient_dave) is not the lease owner (=DFSClient_carol: /d/c1 (inode ${openId}) Holder DFSClient_dave does not have any open files.`,
      });
      const fsync = (c: NamenodeClient, src: string) => c.ipc.call('fsync', hadoop.hdfs.FsyncRequestProto, { src, client: c.clientName, lastBlockLength: 0 }, hadoop.hdfs.FsyncResponseProto);
      expect(await outcome(fsync(carol, '/d/file'))).toEqual({
        className: ExceptionClass.LeaseExpired,
        message: `File is not open for writing: /d/file (inode ${closedId}) [Lease.  Holder: DFSClient_carol, pending creates: 1]`,
      });
      expect(await outcome(dave.addBlock('/d/none', undefined))).toEqual({
        className: ExceptionClass.FileNotFound,
        message: expect.stringMatching(/^File does not exist: \/d\/none \(inode \d+\) Holder DFSClient_dave does not have any open files\.$/),
      });
      expect(await carol.complete('/d/c1')).toBe(true);
    } finally {
      await carol.ipc.close();
      await dave.ipc.close();
    }
  });
});
