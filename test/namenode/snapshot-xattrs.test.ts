import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { fsck } from '../../namenode/fsck/fsck';
import { until } from '../harness/eventually';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

/**
 * xattrs through `.snapshot` against a real namenode on MariaDB: the
 * copy-on-write seam keeps an inode's xattr rows with its version
 * (`inode_version_xattrs`), so getXAttrs and listXAttrs of an old path
 * answer the xattrs as they were when the snapshot was taken, the diff
 * reports an xattr change as M (HDFS records it on the inode's snapshot
 * copy), and the leader's reclaimer re-keys or drops them with the versions.
 */

const H = hadoop.hdfs;

let f: NamenodeFixture;
let su: IpcClient;

beforeAll(async () => {
  f = await namenodeFixture('snapxattrs', { housekeepingIntervalMs: 300 });
  su = await IpcClient.connect({ host: '127.0.0.1', port: f.namenode.rpcPort, user: f.superuser, protocolName: CLIENT_PROTOCOL });
}, 90_000);
afterAll(async () => {
  await su?.close();
  await f?.close();
});

const refused = async (p: Promise<unknown>) =>
  p.then(
    () => 'none',
    (e: { className?: string; message?: string }) => `${e.className}: ${e.message}`,
  );
const mkdirs = (src: string) => su.call('mkdirs', H.MkdirsRequestProto, { src, masked: { perm: 0o755 }, createParent: true }, H.MkdirsResponseProto);
const create = (src: string) =>
  su.call('create', H.CreateRequestProto, { src, masked: { perm: 0o644 }, clientName: 'DFSClient_sx', createFlag: 1, createParent: true, replication: 1, blockSize: 1 << 20 }, H.CreateResponseProto);
const complete = (src: string) => su.call('complete', H.CompleteRequestProto, { src, clientName: 'DFSClient_sx' }, H.CompleteResponseProto);
const setX = (src: string, name: string, value: string) =>
  su.call('setXAttr', H.SetXAttrRequestProto, { src, xAttr: { namespace: 0, name, value: Buffer.from(value) }, flag: 3 }, H.SetXAttrResponseProto);
const removeX = (src: string, name: string) => su.call('removeXAttr', H.RemoveXAttrRequestProto, { src, xAttr: { namespace: 0, name } }, H.RemoveXAttrResponseProto);
const show = (xs: hadoop.hdfs.IXAttrProto[] | null | undefined) => (xs ?? []).map((x) => `${x.name}=${Buffer.from(x.value ?? []).toString()}`);
const xattrs = async (src: string, names: string[] = []) =>
  show((await su.call('getXAttrs', H.GetXAttrsRequestProto, { src, xAttrs: names.map((name) => ({ namespace: 0, name })) }, H.GetXAttrsResponseProto)).xAttrs);
const listed = async (src: string) => show((await su.call('listXAttrs', H.ListXAttrsRequestProto, { src }, H.ListXAttrsResponseProto)).xAttrs);
const take = (snapshotRoot: string, snapshotName: string) => su.call('createSnapshot', H.CreateSnapshotRequestProto, { snapshotRoot, snapshotName }, H.CreateSnapshotResponseProto);
const drop = (snapshotRoot: string, snapshotName: string) => su.call('deleteSnapshot', H.DeleteSnapshotRequestProto, { snapshotRoot, snapshotName }, H.DeleteSnapshotResponseProto);
const diff = async (snapshotRoot: string, fromSnapshot: string, toSnapshot: string) =>
  ((await su.call('getSnapshotDiffReport', H.GetSnapshotDiffReportRequestProto, { snapshotRoot, fromSnapshot, toSnapshot }, H.GetSnapshotDiffReportResponseProto)).diffReport.diffReportEntries ?? [])
    .map((e) => `${e.modificationLabel} ${e.fullpath.length === 0 ? '.' : `./${Buffer.from(e.fullpath).toString()}`}`)
    .sort();

test('getXAttrs and listXAttrs through .snapshot answer the xattrs each snapshot saw; the diff reports an xattr change as M', async () => {
  await mkdirs('/sx/d');
  await create('/sx/f');
  await complete('/sx/f');
  await create('/sx/doomed');
  await complete('/sx/doomed');
  await Promise.all([setX('/sx/f', 'k', 'v1'), setX('/sx/doomed', 'kept', 'yes'), setX('/sx', 'root', 'r1')]);
  await setX('/sx/f', 'gone', 'x');
  await su.call('allowSnapshot', H.AllowSnapshotRequestProto, { snapshotRoot: '/sx' }, H.AllowSnapshotResponseProto);
  await take('/sx', 's1');
  await setX('/sx/f', 'k', 'v2');
  await removeX('/sx/f', 'gone');
  await setX('/sx/f', 'new', 'n');
  await setX('/sx/d', 'dx', '1');
  await setX('/sx', 'root', 'r2');
  await su.call('delete', H.DeleteRequestProto, { src: '/sx/doomed', recursive: false }, H.DeleteResponseProto);
  await take('/sx', 's2');
  await setX('/sx/f', 'k', 'v3');

  expect(await xattrs('/sx/.snapshot/s1/f')).toEqual(['gone=x', 'k=v1']);
  expect(await listed('/sx/.snapshot/s1/f')).toEqual(['gone=x', 'k=v1']);
  expect(await xattrs('/sx/.snapshot/s2/f')).toEqual(['k=v2', 'new=n']);
  expect(await xattrs('/sx/f')).toEqual(['k=v3', 'new=n']);
  expect(await xattrs('/sx/.snapshot/s1/f', ['gone'])).toEqual(['gone=x']);
  expect(await refused(xattrs('/sx/f', ['gone']))).toBe('java.io.IOException: At least one of the attributes provided was not found.');
  expect(await xattrs('/sx/.snapshot/s1/d')).toEqual([]);
  expect(await xattrs('/sx/.snapshot/s2/d')).toEqual(['dx=1']);
  // The snapshot root is the directory as it was; a file deleted since keeps its xattrs in the snapshot.
  expect(await xattrs('/sx/.snapshot/s1')).toEqual(['root=r1']);
  expect(await xattrs('/sx/.snapshot/s2')).toEqual(['root=r2']);
  expect(await xattrs('/sx/.snapshot/s1/doomed')).toEqual(['kept=yes']);
  expect(await refused(xattrs('/sx/.snapshot/s2/doomed'))).toMatch(/^java.io.FileNotFoundException/);

  // HDFS records an xattr change on the inode's snapshot copy: M, and nothing else.
  expect(await diff('/sx', 's1', 's2')).toEqual(['- ./doomed', 'M .', 'M ./d', 'M ./f']);
  expect(await diff('/sx', 's2', '')).toEqual(['M ./f']);
  // A write through .snapshot stays refused.
  expect(await refused(setX('/sx/.snapshot/s1/f', 'k', 'no'))).toMatch(/^org.apache.hadoop.hdfs.protocol.SnapshotAccessControlException/);
}, 60_000);

test('deleting a snapshot: the reclaimer re-keys the xattrs another snapshot still reads and drops the rest; fsck stays clean', async () => {
  await mkdirs('/rx');
  await create('/rx/f');
  await complete('/rx/f');
  await setX('/rx/f', 'k', 'a');
  await su.call('allowSnapshot', H.AllowSnapshotRequestProto, { snapshotRoot: '/rx' }, H.AllowSnapshotResponseProto);
  await take('/rx', 'sa');
  await take('/rx', 'sb');
  await setX('/rx/f', 'k', 'b'); // versioned at sb: the one rule serves sa from it too
  await take('/rx', 'sc');
  await setX('/rx/f', 'k', 'c');
  await drop('/rx', 'sb');
  await drop('/rx', 'sc');
  // sb's version serves sa (re-keyed); sc's serves no live snapshot (dropped).
  await until('the reclaimer has taken the deleted snapshots', async () => (await fsck(f.namenode.namesystem.db, sqlRepositories.fsck)).snapshots.pendingReclamation === 0, 20_000, 200);
  expect(await xattrs('/rx/.snapshot/sa/f')).toEqual(['k=a']);
  expect(await xattrs('/rx/f')).toEqual(['k=c']);
  const report = await fsck(f.namenode.namesystem.db, sqlRepositories.fsck);
  expect(report.problems).toEqual([]);
  expect(report.snapshots).toMatchObject({ pendingReclamation: 0 });
  await drop('/rx', 'sa');
  await until('the reclaimer has taken sa', async () => (await fsck(f.namenode.namesystem.db, sqlRepositories.fsck)).snapshots.pendingReclamation === 0, 20_000, 200);
  expect((await fsck(f.namenode.namesystem.db, sqlRepositories.fsck)).problems).toEqual([]);
}, 60_000);
