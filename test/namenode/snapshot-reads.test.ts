import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { hdfs, stdoutOf } from '../harness/go-hdfs';

/**
 * Reads through `.snapshot` against a real namenode, MariaDB and a real
 * datanode, with the Go client for the data: a snapshot is taken, the tree
 * is changed every way the copy-on-write seam sees (create, delete, rename
 * in, out and within, chmod, mkdir, overwrite), and every old path reads
 * back as it was, byte for byte, while the current tree reads as it is now.
 */

const H = hadoop.hdfs;
const MiB = 1 << 20;

let f: DataFleet;
let c: IpcClient;

beforeAll(async () => {
  f = await dataFleet('snapreads', 1, { blockSize: MiB, replication: 1 });
  await f.waitForDatanodes(1);
  c = await IpcClient.connect({ host: '127.0.0.1', port: f.namenode.rpcPort, user: f.superuser, protocolName: CLIENT_PROTOCOL });
}, 90_000);
afterAll(async () => {
  await c?.close();
  await f?.close();
});

const go = (...args: string[]) => stdoutOf(hdfs(f.address, f.superuser, args));
const put = (path: string, data: string) => stdoutOf(hdfs(f.address, f.superuser, ['put', '-', path], data));
const names = async (src: string) =>
  ((await c.call('getListing', H.GetListingRequestProto, { src, startAfter: new Uint8Array(0), needLocation: false }, H.GetListingResponseProto)).dirList?.partialListing ?? []).map((s) =>
    Buffer.from(s.path).toString(),
  );
const info = async (src: string) => (await c.call('getFileInfo', H.GetFileInfoRequestProto, { src }, H.GetFileInfoResponseProto)).fs;

test('every old path reads back through .snapshot as it was; the live tree as it is', async () => {
  const big = 'b'.repeat(MiB + 12345); // two blocks
  await go('mkdir', '-p', '/snap/dir/sub', '/elsewhere');
  await put('/snap/keep', 'kept bytes');
  await put('/snap/gone', 'deleted after the snapshot');
  await put('/snap/big', big);
  await put('/snap/dir/moved', 'moved out after the snapshot');
  await put('/snap/dir/sub/renamed', 'renamed within');
  await put('/snap/over', 'old content');
  await put('/elsewhere/incoming', 'moved in after the snapshot');
  await c.call('allowSnapshot', H.AllowSnapshotRequestProto, { snapshotRoot: '/snap' }, H.AllowSnapshotResponseProto);
  await c.call('createSnapshot', H.CreateSnapshotRequestProto, { snapshotRoot: '/snap', snapshotName: 's1' }, H.CreateSnapshotResponseProto);

  await go('rm', '/snap/gone', '/snap/big');
  await go('mv', '/snap/dir/moved', '/elsewhere/moved');
  await go('mv', '/elsewhere/incoming', '/snap/incoming');
  await go('mv', '/snap/dir/sub/renamed', '/snap/dir/sub/renamed2');
  await go('chmod', '700', '/snap/keep');
  await go('mkdir', '/snap/newdir');
  await put('/snap/created', 'created after the snapshot');
  await go('rm', '/snap/over');
  await put('/snap/over', 'new content');

  // The snapshot's tree.
  expect(await names('/snap/.snapshot')).toEqual(['s1']);
  expect(await names('/snap/.snapshot/s1')).toEqual(['big', 'dir', 'gone', 'keep', 'over']);
  expect(await names('/snap/.snapshot/s1/dir')).toEqual(['moved', 'sub']);
  expect(await names('/snap/.snapshot/s1/dir/sub')).toEqual(['renamed']);
  expect(await go('cat', '/snap/.snapshot/s1/keep')).toBe('kept bytes');
  expect(await go('cat', '/snap/.snapshot/s1/gone')).toBe('deleted after the snapshot');
  expect((await go('cat', '/snap/.snapshot/s1/big')) === big).toBe(true);
  expect(await go('cat', '/snap/.snapshot/s1/dir/moved')).toBe('moved out after the snapshot');
  expect(await go('cat', '/snap/.snapshot/s1/dir/sub/renamed')).toBe('renamed within');
  expect(await go('cat', '/snap/.snapshot/s1/over')).toBe('old content');
  expect((await info('/snap/.snapshot/s1/keep'))?.permission.perm).toBe(0o644);
  for (const absent of ['/snap/.snapshot/s1/created', '/snap/.snapshot/s1/newdir', '/snap/.snapshot/s1/incoming', '/snap/.snapshot/s1/dir/sub/renamed2', '/snap/.snapshot/none']) {
    expect([absent, await info(absent)]).toEqual([absent, null]);
  }

  // The live tree.
  expect(await names('/snap')).toEqual(['created', 'dir', 'incoming', 'keep', 'newdir', 'over']);
  expect(await names('/snap/dir/sub')).toEqual(['renamed2']);
  expect(await go('cat', '/snap/over')).toBe('new content');
  expect(await go('cat', '/elsewhere/moved')).toBe('moved out after the snapshot');
  expect((await info('/snap/keep'))?.permission.perm).toBe(0o700);

  // A second snapshot sees the tree of its own time.
  await c.call('createSnapshot', H.CreateSnapshotRequestProto, { snapshotRoot: '/snap', snapshotName: 's2' }, H.CreateSnapshotResponseProto);
  await go('rm', '/snap/created');
  expect(await names('/snap/.snapshot/s2')).toEqual(['created', 'dir', 'incoming', 'keep', 'newdir', 'over']);
  expect(await go('cat', '/snap/.snapshot/s2/created')).toBe('created after the snapshot');
  expect(await go('cat', '/snap/.snapshot/s2/over')).toBe('new content');
  expect(await names('/snap/.snapshot/s1')).toEqual(['big', 'dir', 'gone', 'keep', 'over']);

  // Copy-on-truncate is not done: a truncate under snapshots is refused, and the snapshot's bytes stay whole.
  const cut = await c
    .call('truncate', H.TruncateRequestProto, { src: '/snap/keep', newLength: 3, clientName: 'DFSClient_snap' }, H.TruncateResponseProto)
    .then(() => 'truncated', (e: { className?: string }) => e.className);
  expect(cut).toBe('java.lang.UnsupportedOperationException');
  expect(await go('cat', '/snap/.snapshot/s1/keep')).toBe('kept bytes');
  expect(await go('cat', '/elsewhere/moved')).toBe('moved out after the snapshot');
}, 120_000);
