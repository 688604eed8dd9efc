import { randomBytes } from 'node:crypto';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { ExceptionClass } from '../../protocol/ipc/exception-classes';
import { RemoteError } from '../../protocol/ipc/ipc-errors';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { fsck } from '../../namenode/fsck/fsck';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { hdfs, stdoutOf } from '../harness/go-hdfs';

const H = hadoop.hdfs;
const { FileType } = H.HdfsFileStatusProto;
const BLOCK = 64 * 1024;

let f: DataFleet;
let su: IpcClient;
let alice: IpcClient;

const connect = (user: string) => {
  const [host, port] = f.address.split(':');
  return IpcClient.connect({ host: host!, port: Number(port), user, protocolName: CLIENT_PROTOCOL });
};

beforeAll(async () => {
  f = await dataFleet('links', 1, { blockSize: BLOCK, replication: 1 });
  su = await connect(f.superuser);
  alice = await connect('alice');
}, 60_000);
afterAll(async () => {
  await su?.close();
  await alice?.close();
  await f?.close();
});

const put = (path: string, text: string) => stdoutOf(hdfs(f.address, f.superuser, ['put', '-', path], text));
const cat = (path: string) => stdoutOf(hdfs(f.address, f.superuser, ['cat', path]));

/** The Hadoop class and message a call is refused with. */
async function refused(p: Promise<unknown>): Promise<{ className: string; message: string }> {
  const e = await p.then(
    () => new Error('expected the call to be refused, but it succeeded'),
    (err: unknown) => err,
  );
  if (!(e instanceof RemoteError)) throw e;
  return { className: e.className, message: e.message };
}

const stat = async (path: string, c = su) => (await c.call('getFileInfo', H.GetFileInfoRequestProto, { src: path }, H.GetFileInfoResponseProto)).fs ?? undefined;
const linkStat = async (path: string) => (await su.call('getFileLinkInfo', H.GetFileLinkInfoRequestProto, { src: path }, H.GetFileLinkInfoResponseProto)).fs ?? undefined;
const mkdirs = (path: string, perm = 0o755) => su.call('mkdirs', H.MkdirsRequestProto, { src: path, masked: { perm }, createParent: true }, H.MkdirsResponseProto);
const symlink = (target: string, link: string, createParent = false, c = su) =>
  c.call('createSymlink', H.CreateSymlinkRequestProto, { target, link, dirPerm: { perm: 0o755 }, createParent }, H.CreateSymlinkResponseProto);
const linkTarget = async (path: string) => (await su.call('getLinkTarget', H.GetLinkTargetRequestProto, { path }, H.GetLinkTargetResponseProto)).targetPath;
const names = async (dir: string) =>
  ((await su.call('getListing', H.GetListingRequestProto, { src: dir, startAfter: Buffer.alloc(0), needLocation: false }, H.GetListingResponseProto)).dirList?.partialListing ?? []).map(
    (e) => Buffer.from(e.path).toString(),
  );
/** An empty file created and closed through IPC, with a block size of our choosing. */
async function emptyFile(path: string, blockSize = BLOCK, perm = 0o644): Promise<void> {
  const clientName = 'DFSClient_links';
  await su.call('create', H.CreateRequestProto, { src: path, masked: { perm }, clientName, createFlag: 1, createParent: true, replication: 1, blockSize }, H.CreateResponseProto);
  await su.call('complete', H.CompleteRequestProto, { src: path, clientName }, H.CompleteResponseProto);
}
const noProblems = async () => expect((await fsck(f.namenode.namesystem.db, sqlRepositories.fsck)).problems).toEqual([]);

describe('symlinks', () => {
  test('createSymlink makes a link getFileLinkInfo reports and getFileInfo refuses with UnresolvedPathException', async () => {
    await mkdirs('/s/real/deep');
    await put('/s/real/deep/file', 'through the link');
    await symlink('/s/real', '/s/abs');
    await symlink('real/deep', '/s/rel');

    const link = await linkStat('/s/abs');
    expect(link?.fileType).toBe(FileType.IS_SYMLINK);
    expect(Buffer.from(link!.symlink!).toString()).toBe('/s/real');
    expect(link?.permission.perm).toBe(0o777);
    expect(link?.owner).toBe(f.superuser);
    expect(link?.group).toBe((await stat('/s'))?.group);
    expect(Number(link?.length)).toBe(0);

    // The last component a link, or one before it: HDFS's class, which DFSClient unwraps as UnresolvedLinkException.
    for (const path of ['/s/abs', '/s/abs/deep/file', '/s/rel/file']) {
      expect(await refused(stat(path))).toEqual({ className: ExceptionClass.UnresolvedPath, message: `Unresolved path ${path}` });
    }
    expect((await refused(linkStat('/s/abs/deep'))).className).toBe(ExceptionClass.UnresolvedPath);
    // A directory's listing shows the link as one; a summary of the link counts the link (DirOp.READ_LINK).
    expect(await names('/s')).toEqual(['abs', 'real', 'rel']);
    const { summary } = await su.call('getContentSummary', H.GetContentSummaryRequestProto, { path: '/s/abs' }, H.GetContentSummaryResponseProto);
    expect([Number(summary.fileCount), Number(summary.directoryCount), Number(summary.length)]).toEqual([1, 0, 0]);
    expect((await refused(su.call('getBlockLocations', H.GetBlockLocationsRequestProto, { src: '/s/abs/deep/file', offset: 0, length: 10 }, H.GetBlockLocationsResponseProto))).className).toBe(
      ExceptionClass.UnresolvedPath,
    );
  });

  test('getLinkTarget answers the stored target, or the path with a link in it resolved', async () => {
    expect(await linkTarget('/s/abs')).toBe('/s/real');
    expect(await linkTarget('/s/rel')).toBe('real/deep');
    expect(await linkTarget('/s/abs/deep/file')).toBe('/s/real/deep/file');
    expect(await linkTarget('/s/rel/file')).toBe('/s/real/deep/file');
    await symlink('../s/./real/', '/s/dots');
    expect(await linkTarget('/s/dots/deep')).toBe('/s/real/deep');
    expect(await refused(linkTarget('/s/real'))).toEqual({ className: ExceptionClass.IO, message: 'Path /s/real is not a symbolic link' });
    expect(await refused(linkTarget('/s/nothing'))).toEqual({ className: ExceptionClass.FileNotFound, message: 'File does not exist: /s/nothing' });
  });

  test('writes through a link are refused and change nothing; delete and rename act on the link itself', async () => {
    const before = await names('/s/real/deep');
    const create = su.call(
      'create',
      H.CreateRequestProto,
      { src: '/s/abs/deep/new', masked: { perm: 0o644 }, clientName: 'DFSClient_links', createFlag: 1, createParent: true, replication: 1, blockSize: BLOCK },
      H.CreateResponseProto,
    );
    expect((await refused(create)).className).toBe(ExceptionClass.UnresolvedPath);
    expect((await refused(mkdirs('/s/abs/newdir'))).className).toBe(ExceptionClass.UnresolvedPath);
    expect((await refused(su.call('setPermission', H.SetPermissionRequestProto, { src: '/s/abs', permission: { perm: 0o700 } }, H.SetPermissionResponseProto))).className).toBe(
      ExceptionClass.UnresolvedPath,
    );
    expect((await refused(su.call('delete', H.DeleteRequestProto, { src: '/s/abs/deep/file', recursive: false }, H.DeleteResponseProto))).className).toBe(ExceptionClass.UnresolvedPath);
    expect(await names('/s/real/deep')).toEqual(before);
    expect((await stat('/s/real'))?.permission.perm).toBe(0o755);

    const renamed = await su.call('rename2', H.Rename2RequestProto, { src: '/s/dots', dst: '/s/dots2', overwriteDest: false }, H.Rename2ResponseProto);
    expect(renamed).toBeDefined();
    expect(await linkTarget('/s/dots2')).toBe('../s/./real/');
    expect((await su.call('delete', H.DeleteRequestProto, { src: '/s/dots2', recursive: false }, H.DeleteResponseProto)).result).toBe(true);
    expect(await linkStat('/s/dots2')).toBeUndefined();
    expect(await cat('/s/real/deep/file')).toBe('through the link');
  });

  test('createSymlink refuses what HDFS refuses, and leaves nothing behind', async () => {
    expect(await refused(symlink('/x', '/s/abs'))).toEqual({
      className: ExceptionClass.IO,
      message: 'failed to create link /s/abs either because the filename is invalid or the file exists',
    });
    expect((await refused(symlink('/x', '/s/real'))).className).toBe(ExceptionClass.IO);
    expect(await refused(symlink('/x', '/s/none/link'))).toEqual({ className: ExceptionClass.FileNotFound, message: "Parent directory doesn't exist: /s/none" });
    expect(await refused(symlink('', '/s/empty'))).toEqual({ className: ExceptionClass.InvalidPath, message: 'Invalid target name: ' });
    expect((await refused(symlink('/.reserved/raw', '/s/reserved'))).className).toBe(ExceptionClass.InvalidPath);
    expect(await refused(symlink('/x', '/s/../up'))).toEqual({ className: ExceptionClass.InvalidPath, message: 'Invalid link name: /s/../up' });
    expect(await refused(symlink(`/${'t'.repeat(4000)}`, '/s/long'))).toEqual({ className: ExceptionClass.IO, message: 'Symlink target exceeds 4000 bytes' });
    expect((await refused(symlink('/x', '/s/abs/under'))).className).toBe(ExceptionClass.UnresolvedPath);
    // DirOp.WRITE_LINK is no create: HDFS answers a file on the way with AccessControlException.
    expect(await refused(symlink('/x', '/s/real/deep/file/under'))).toEqual({ className: ExceptionClass.AccessControl, message: '/s/real/deep/file (is not a directory)' });
    expect((await refused(symlink('/x', '/s/alice-link', false, alice))).className).toBe(ExceptionClass.AccessControl);
    expect(await names('/s')).toEqual(['abs', 'real', 'rel']);

    await symlink('/s/real', '/s/made/on/the/way', true);
    expect((await stat('/s/made/on'))?.fileType).toBe(FileType.IS_DIR);
    expect((await linkStat('/s/made/on/the/way'))?.fileType).toBe(FileType.IS_SYMLINK);
    await noProblems();
  });
});

describe('concat', () => {
  const a = randomBytes(BLOCK + 1000).toString('base64');
  const b = randomBytes(2 * BLOCK).toString('base64');
  const c = randomBytes(777).toString('base64');

  const concat = (trg: string, srcs: string[]) => su.call('concat', H.ConcatRequestProto, { trg, srcs }, H.ConcatResponseProto);
  const length = async (path: string) => Number((await stat(path))?.length);

  test('the sources are appended to the target in order and are gone; the bytes read back exactly', async () => {
    await put('/c/a', a);
    await put('/c/b', b);
    await put('/c/c', c);
    await concat('/c/a', ['/c/c', '/c/b']);
    expect(await names('/c')).toEqual(['a']);
    expect(await length('/c/a')).toBe(a.length + c.length + b.length);
    expect(await cat('/c/a')).toBe(a + c + b);
    await noProblems();
  });

  test('a concat retried with its call id gets its first answer (the retry cache), not FileNotFound for the gone sources', async () => {
    await put('/c4/t', a);
    await put('/c4/s', c);
    const req = { trg: '/c4/t', srcs: ['/c4/s'] };
    await su.call('concat', H.ConcatRequestProto, req, H.ConcatResponseProto, { callId: 9001 });
    await su.call('concat', H.ConcatRequestProto, req, H.ConcatResponseProto, { callId: 9001, retryCount: 1 });
    expect(await cat('/c4/t')).toBe(a + c);
    expect((await refused(su.call('concat', H.ConcatRequestProto, req, H.ConcatResponseProto))).className).toBe(ExceptionClass.FileNotFound);
  });

  test("queued re-replications of a source's blocks follow them to the target", async () => {
    await put('/c5/t', a);
    await put('/c5/s', b);
    // One datanode: replication 2 leaves the source's blocks queued as under-replicated.
    await su.call('setReplication', H.SetReplicationRequestProto, { src: '/c5/s', replication: 2 }, H.SetReplicationResponseProto);
    const s = await stat('/c5/s');
    const t = await stat('/c5/t');
    const { runner, dal } = f.namenode.namesystem.context;
    const queued = async () => runner.query('test', dal.replicationQueue.findDue(1000, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
    expect((await queued()).some((q) => q.inodeId === Number(s?.fileId))).toBe(true);
    await concat('/c5/t', ['/c5/s']);
    const after = await queued();
    expect(after.some((q) => q.inodeId === Number(s?.fileId))).toBe(false);
    const blocks = (await su.call('getBlockLocations', H.GetBlockLocationsRequestProto, { src: '/c5/t', offset: 0, length: 1 << 30 }, H.GetBlockLocationsResponseProto)).locations?.blocks ?? [];
    const ids = blocks.map((lb) => Number(lb.b.blockId));
    // The monitor may already have settled some (replication 1 again): whatever is still queued names the target.
    for (const q of after.filter((x) => ids.includes(x.blockId))) expect(q.inodeId).toBe(Number(t?.fileId));
    expect(await cat('/c5/t')).toBe(a + b);
    await noProblems();
  });

  test('an empty target takes the sources blocks', async () => {
    await emptyFile('/c2/t');
    await put('/c2/x', b);
    await concat('/c2/t', ['/c2/x']);
    expect(await cat('/c2/t')).toBe(b);
    expect(await names('/c2')).toEqual(['t']);
  });

  test('every invalid concat answers the Hadoop exception and leaves the namespace unchanged', async () => {
    await put('/c3/t', a);
    await put('/c3/s', c);
    await put('/c3/s2', c);
    await put('/elsewhere/s', c);
    await emptyFile('/c3/empty');
    await emptyFile('/c3/small-blocks', 1024);
    await su.call(
      'create',
      H.CreateRequestProto,
      { src: '/c3/open', masked: { perm: 0o644 }, clientName: 'DFSClient_open', createFlag: 1, createParent: true, replication: 1, blockSize: BLOCK },
      H.CreateResponseProto,
    );
    const before = await names('/c3');
    const HIA = ExceptionClass.HadoopIllegalArgument;
    const cases: [string, string[], string, string][] = [
      ['/c3/t', [], ExceptionClass.IllegalArgument, 'No sources given'],
      ['/c3/t', ['/c3/t'], HIA, 'concat: the src file /c3/t is the same with the target file /c3/t'],
      ['/c3/t', ['/elsewhere/s'], HIA, 'Source file /elsewhere/s is not in the same directory with the target /c3/t'],
      ['/c3/t', ['/c3/empty'], HIA, 'concat: source file /c3/empty is invalid or empty or underConstruction'],
      ['/c3/t', ['/c3/open'], HIA, 'concat: source file /c3/open is invalid or empty or underConstruction'],
      ['/c3/t', ['/c3/s', '/c3/s'], HIA, 'concat: at least two of the source files are the same'],
      ['/c3/t', ['/c3/s', '/c3/missing'], ExceptionClass.FileNotFound, 'File does not exist: /c3/missing'],
      ['/c3/missing', ['/c3/s'], ExceptionClass.FileNotFound, 'File does not exist: /c3/missing'],
      ['/c3', ['/c3/s'], ExceptionClass.FileNotFound, 'Path is not a file: /c3'],
      ['/c3/open', ['/c3/s'], HIA, 'concat: target file /c3/open is under construction'],
      ['/c3/small-blocks', ['/c3/s'], HIA, "concat: source file /c3/s has preferred block size 65536 which is greater than the target file's preferred block size 1024"],
    ];
    for (const [trg, srcs, className, message] of cases) expect(await refused(concat(trg, srcs))).toEqual({ className, message });
    expect(await refused(concat('/c3/t', Array.from({ length: 1025 }, (_, i) => `/c3/s${i}`)))).toEqual({
      className: HIA,
      message: 'concat sources: 1025 entries, more than 1024 in one call',
    });
    expect(await refused(su.call('concat', H.ConcatRequestProto, { trg: '', srcs: ['/c3/s'] }, H.ConcatResponseProto))).toEqual({
      className: ExceptionClass.IllegalArgument,
      message: 'Target file name is empty',
    });
    // alice may not write the target.
    expect((await refused(alice.call('concat', H.ConcatRequestProto, { trg: '/c3/t', srcs: ['/c3/s'] }, H.ConcatResponseProto))).className).toBe(ExceptionClass.AccessControl);
    expect(await names('/c3')).toEqual(before);
    expect(await cat('/c3/t')).toBe(a);
    expect(await cat('/c3/s')).toBe(c);
    expect(await length('/c3/t')).toBe(a.length);
  });
});

describe('isFileClosed and checkAccess', () => {
  const isClosed = async (src: string) => (await su.call('isFileClosed', H.IsFileClosedRequestProto, { src }, H.IsFileClosedResponseProto)).result;
  const check = (path: string, mode: hadoop.hdfs.AclEntryProto.FsActionProto, c = alice) => c.call('checkAccess', H.CheckAccessRequestProto, { path, mode }, H.CheckAccessResponseProto);
  const { READ, WRITE, READ_EXECUTE } = H.AclEntryProto.FsActionProto;

  test('isFileClosed: false while a writer holds the file, true once closed', async () => {
    await mkdirs('/p');
    await su.call(
      'create',
      H.CreateRequestProto,
      { src: '/p/open', masked: { perm: 0o644 }, clientName: 'DFSClient_p', createFlag: 1, createParent: true, replication: 1, blockSize: BLOCK },
      H.CreateResponseProto,
    );
    expect(await isClosed('/p/open')).toBe(false);
    await su.call('complete', H.CompleteRequestProto, { src: '/p/open', clientName: 'DFSClient_p' }, H.CompleteResponseProto);
    expect(await isClosed('/p/open')).toBe(true);
    expect(await refused(isClosed('/p'))).toEqual({ className: ExceptionClass.FileNotFound, message: 'Path is not a file: /p' });
    expect(await refused(isClosed('/p/none'))).toEqual({ className: ExceptionClass.FileNotFound, message: 'File does not exist: /p/none' });
  });

  test('checkAccess answers nothing when allowed and AccessControlException when not', async () => {
    await emptyFile('/p/private', BLOCK, 0o600);
    await emptyFile('/p/shared', BLOCK, 0o644);
    await check('/p/shared', READ);
    await check('/p', READ_EXECUTE);
    await check('/p/private', WRITE, su);
    expect(await refused(check('/p/shared', WRITE))).toEqual({
      className: ExceptionClass.AccessControl,
      message: `Permission denied: user=alice, access=WRITE, inode="/p/shared":${f.superuser}:${(await stat('/p/shared'))?.group}:-rw-r--r--`,
    });
    expect((await refused(check('/p/private', READ))).className).toBe(ExceptionClass.AccessControl);
    expect(await refused(check('/p/none', READ))).toEqual({ className: ExceptionClass.FileNotFound, message: 'Path not found' });
    // A mode that is no FsActionProto does not parse, as in Java.
    expect((await refused(check('/p/shared', 9 as hadoop.hdfs.AclEntryProto.FsActionProto))).className).toBe(ExceptionClass.RpcServer);
  });
});

describe('storage policies', () => {
  const getPolicy = async (path: string) => (await su.call('getStoragePolicy', H.GetStoragePolicyRequestProto, { path }, H.GetStoragePolicyResponseProto)).storagePolicy;
  const setPolicy = (src: string, policyName: string, c = su) => c.call('setStoragePolicy', H.SetStoragePolicyRequestProto, { src, policyName }, H.SetStoragePolicyResponseProto);
  const unsetPolicy = (src: string) => su.call('unsetStoragePolicy', H.UnsetStoragePolicyRequestProto, { src }, H.UnsetStoragePolicyResponseProto);

  test("getStoragePolicies answers Hadoop 3.4's built-in suite in id order", async () => {
    const { policies } = await su.call('getStoragePolicies', H.GetStoragePoliciesRequestProto, {}, H.GetStoragePoliciesResponseProto);
    expect(policies.map((p) => [p.policyId, p.name])).toEqual([
      [1, 'PROVIDED'],
      [2, 'COLD'],
      [5, 'WARM'],
      [7, 'HOT'],
      [10, 'ONE_SSD'],
      [12, 'ALL_SSD'],
      [14, 'ALL_NVDIMM'],
      [15, 'LAZY_PERSIST'],
    ]);
    const { DISK, SSD, ARCHIVE } = H.StorageTypeProto;
    const hot = policies.find((p) => p.name === 'HOT')!;
    expect(hot.creationPolicy.storageTypes).toEqual([DISK]);
    expect(hot.creationFallbackPolicy).toBeFalsy();
    expect(hot.replicationFallbackPolicy?.storageTypes).toEqual([ARCHIVE]);
    expect(policies.find((p) => p.name === 'ONE_SSD')!.creationPolicy.storageTypes).toEqual([SSD, DISK]);
  });

  test('a directory policy is inherited below it until one is set or unset; the status carries the effective id', async () => {
    await put('/sp/d/f', 'x');
    expect((await getPolicy('/sp/d/f'))?.name).toBe('HOT');
    expect((await stat('/sp/d/f'))?.storagePolicy).toBe(0);
    await setPolicy('/sp', 'cold');
    expect((await getPolicy('/sp/d/f'))?.policyId).toBe(2);
    expect((await stat('/sp/d/f'))?.storagePolicy).toBe(2);
    await setPolicy('/sp/d/f', 'ALL_SSD');
    await unsetPolicy('/sp');
    expect((await getPolicy('/sp'))?.name).toBe('HOT');
    expect((await getPolicy('/sp/d/f'))?.name).toBe('ALL_SSD');
    const listing = await su.call('getListing', H.GetListingRequestProto, { src: '/sp/d', startAfter: Buffer.alloc(0), needLocation: false }, H.GetListingResponseProto);
    expect(listing.dirList?.partialListing?.map((e) => e.storagePolicy)).toEqual([12]);
    // Every caller's listing carries the entries' effective policies, as HDFS 3.4's.
    await setPolicy('/sp', 'WARM');
    await put('/sp/d/g', 'z');
    const asAlice = await alice.call('getListing', H.GetListingRequestProto, { src: '/sp/d', startAfter: Buffer.alloc(0), needLocation: false }, H.GetListingResponseProto);
    expect(asAlice.dirList?.partialListing?.map((e) => [Buffer.from(e.path).toString(), e.storagePolicy])).toEqual([
      ['f', 12],
      ['g', 5],
    ]);
  });

  test('an unknown name, LAZY_PERSIST on an existing file, a missing path and a reader without WRITE are refused, nothing changed', async () => {
    await put('/sp2/f', 'y');
    await setPolicy('/sp2', 'WARM');
    expect(await refused(setPolicy('/sp2', 'LUKEWARM'))).toEqual({ className: ExceptionClass.HadoopIllegalArgument, message: 'Cannot find a block policy with the name LUKEWARM' });
    expect(await refused(setPolicy('/sp2/f', 'LAZY_PERSIST'))).toEqual({
      className: ExceptionClass.HadoopIllegalArgument,
      message: 'Policy BlockStoragePolicy{LAZY_PERSIST:15, storageTypes=[RAM_DISK, DISK], creationFallbacks=[DISK], replicationFallbacks=[DISK]} cannot be set after file creation.',
    });
    expect(await refused(setPolicy('/sp2/none', 'COLD'))).toEqual({ className: ExceptionClass.FileNotFound, message: 'File/Directory does not exist: /sp2/none' });
    expect(await refused(getPolicy('/sp2/none'))).toEqual({ className: ExceptionClass.FileNotFound, message: 'File/Directory does not exist: /sp2/none' });
    expect((await refused(setPolicy('/sp2', 'COLD', alice))).className).toBe(ExceptionClass.AccessControl);
    expect((await getPolicy('/sp2'))?.name).toBe('WARM');
    expect((await getPolicy('/sp2/f'))?.name).toBe('WARM');
    // LAZY_PERSIST may go on a directory: new files would inherit it.
    await setPolicy('/sp2', 'LAZY_PERSIST');
    expect((await getPolicy('/sp2/f'))?.policyId).toBe(15);
  });
});
