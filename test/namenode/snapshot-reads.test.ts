import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { hdfs, stdoutOf } from '../harness/go-hdfs';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { fsck } from '../../namenode/fsck/fsck';
import { until } from '../harness/eventually';
import { findBlockFile } from '../harness/replica-files';

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
  f = await dataFleet('snapreads', 1, { blockSize: MiB, replication: 1, housekeepingIntervalMs: 500 });
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

  // getContentSummary counts the snapshot's tree: keep, gone, big, over, dir/moved, dir/sub/renamed; /snap, dir, sub.
  const summary = async (path: string) => (await c.call('getContentSummary', H.GetContentSummaryRequestProto, { path }, H.GetContentSummaryResponseProto)).summary;
  const old = await summary('/snap/.snapshot/s1');
  const oldLength = ['kept bytes', 'deleted after the snapshot', big, 'old content', 'moved out after the snapshot', 'renamed within'].reduce((n, x) => n + x.length, 0);
  expect([Number(old.length), Number(old.fileCount), Number(old.directoryCount), Number(old.spaceConsumed)]).toEqual([oldLength, 6, 3, oldLength]);
  expect(Number((await summary('/snap/.snapshot/s1/dir')).fileCount)).toBe(2);
  expect(Number((await summary('/snap')).fileCount)).toBe(5);

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

  // A truncate under snapshots copies the cut block (copy-on-truncate): the snapshots keep their bytes.
  await go('truncate', '3', '/snap/keep');
  await until('/snap/keep closed at 3 bytes', async () => {
    const at = (await c.call('getBlockLocations', H.GetBlockLocationsRequestProto, { src: '/snap/keep', offset: 0, length: 10 }, H.GetBlockLocationsResponseProto)).locations;
    return at?.underConstruction === false && Number(at.fileLength) === 3;
  }, 30_000, 100);
  expect([await go('cat', '/snap/keep'), await go('cat', '/snap/.snapshot/s1/keep'), await go('cat', '/snap/.snapshot/s2/keep')]).toEqual(['kep', 'kept bytes', 'kept bytes']);
  expect(await go('cat', '/elsewhere/moved')).toBe('moved out after the snapshot');
}, 120_000);

test('a file deleted after a snapshot keeps its blocks until the snapshot goes; then the leader reclaims them and fsck stays clean', async () => {
  const noProblems = async () => expect((await fsck(f.namenode.namesystem.db, sqlRepositories.fsck)).problems).toEqual([]);
  await go('mkdir', '-p', '/reclaim');
  await put('/reclaim/doomed', 'held by r1 only');
  await put('/reclaim/changed', 'changed after r1, then deleted');
  await c.call('allowSnapshot', H.AllowSnapshotRequestProto, { snapshotRoot: '/reclaim' }, H.AllowSnapshotResponseProto);
  await c.call('createSnapshot', H.CreateSnapshotRequestProto, { snapshotRoot: '/reclaim', snapshotName: 'r1' }, H.CreateSnapshotResponseProto);
  const blockOf = async (src: string) =>
    Number((await c.call('getBlockLocations', H.GetBlockLocationsRequestProto, { src, offset: 0, length: 1 }, H.GetBlockLocationsResponseProto)).locations?.blocks?.[0]?.b.blockId);
  const doomed = await blockOf('/reclaim/doomed');
  const changed = await blockOf('/reclaim/changed');
  const dir = f.dirs[0] as string;
  expect(findBlockFile(dir, doomed)).toBeDefined();
  await go('chmod', '600', '/reclaim/changed'); // a version now, so the delete below copies nothing new: it must still keep the blocks
  await go('rm', '/reclaim/doomed', '/reclaim/changed');
  await noProblems();
  // Housekeeping rounds run every 500 ms: give them time to do wrong before looking.
  await new Promise((r) => setTimeout(r, 2000));
  expect([findBlockFile(dir, doomed) !== undefined, findBlockFile(dir, changed) !== undefined]).toEqual([true, true]);
  expect(await go('cat', '/reclaim/.snapshot/r1/doomed')).toBe('held by r1 only');
  expect(await go('cat', '/reclaim/.snapshot/r1/changed')).toBe('changed after r1, then deleted');

  await c.call('deleteSnapshot', H.DeleteSnapshotRequestProto, { snapshotRoot: '/reclaim', snapshotName: 'r1' }, H.DeleteSnapshotResponseProto);
  await until('the blocks of files no snapshot holds are invalidated on the datanode', () => findBlockFile(dir, doomed) === undefined && findBlockFile(dir, changed) === undefined, 30_000, 200);
  await noProblems();
  // Another directory's snapshots keep what they hold: the reclaimer looks at the deleted snapshot's own directory only.
  expect(await go('cat', '/snap/.snapshot/s1/gone')).toBe('deleted after the snapshot');
  expect(await names('/reclaim/.snapshot')).toEqual([]);
}, 90_000);
