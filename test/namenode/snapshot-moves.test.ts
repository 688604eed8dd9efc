import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { fsck } from '../../namenode/fsck/fsck';
import { reportOf } from '../../namenode/ops/snapshot-diff';
import { until } from '../harness/eventually';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

/**
 * Moves and big subtree operations in snapshotted trees, against a real
 * namenode on MariaDB: a file or directory renamed from one snapshottable
 * root to another, into and out of snapshotted trees and between nested
 * directories still reads at its old path through `.snapshot`, and the diff
 * reports what HDFS's TestRenameWithSnapshots expects (R within a root; -
 * in the root it left and + in the root it entered). A delete or rename
 * above `subtreeThreshold` (lowered here to 5) keeps what a snapshot holds
 * as the one-transaction path does. The diff listing is paged at 2 entries
 * (dfs.namenode.snapshotdiff.listing.limit).
 */

const H = hadoop.hdfs;
const PAGE = 2;

let f: NamenodeFixture;
let su: IpcClient;

beforeAll(async () => {
  f = await namenodeFixture('snapmoves', { snapshotDiffListingLimit: PAGE, subtreeThreshold: 5, subtreeBatchSize: 3, housekeepingIntervalMs: 300 });
  su = await IpcClient.connect({ host: '127.0.0.1', port: f.namenode.rpcPort, user: f.superuser, protocolName: CLIENT_PROTOCOL });
}, 90_000);
afterAll(async () => {
  await su?.close();
  await f?.close();
});

const mkdirs = (src: string) => su.call('mkdirs', H.MkdirsRequestProto, { src, masked: { perm: 0o755 }, createParent: true }, H.MkdirsResponseProto);
const touch = async (src: string) => {
  await su.call('create', H.CreateRequestProto, { src, masked: { perm: 0o644 }, clientName: 'DFSClient_mv', createFlag: 1, createParent: true, replication: 1, blockSize: 1 << 20 }, H.CreateResponseProto);
  await su.call('complete', H.CompleteRequestProto, { src, clientName: 'DFSClient_mv' }, H.CompleteResponseProto);
};
const move = async (src: string, dst: string) => expect((await su.call('rename', H.RenameRequestProto, { src, dst }, H.RenameResponseProto)).result).toBe(true);
const remove = async (src: string) => expect((await su.call('delete', H.DeleteRequestProto, { src, recursive: true }, H.DeleteResponseProto)).result).toBe(true);
const allow = (snapshotRoot: string) => su.call('allowSnapshot', H.AllowSnapshotRequestProto, { snapshotRoot }, H.AllowSnapshotResponseProto);
const take = (snapshotRoot: string, snapshotName: string) => su.call('createSnapshot', H.CreateSnapshotRequestProto, { snapshotRoot, snapshotName }, H.CreateSnapshotResponseProto);
const exists = async (src: string) => (await su.call('getFileInfo', H.GetFileInfoRequestProto, { src }, H.GetFileInfoResponseProto)).fs != null;
const names = async (src: string) =>
  ((await su.call('getListing', H.GetListingRequestProto, { src, startAfter: new Uint8Array(0), needLocation: false }, H.GetListingResponseProto)).dirList?.partialListing ?? []).map((s) =>
    Buffer.from(s.path).toString(),
  );
const rel = (p: Uint8Array | null | undefined) => (!p || p.length === 0 ? '.' : `./${Buffer.from(p).toString()}`);
const diff = async (snapshotRoot: string, fromSnapshot: string, toSnapshot: string) =>
  ((await su.call('getSnapshotDiffReport', H.GetSnapshotDiffReportRequestProto, { snapshotRoot, fromSnapshot, toSnapshot }, H.GetSnapshotDiffReportResponseProto)).diffReport.diffReportEntries ?? [])
    .map((e) => `${e.modificationLabel} ${rel(e.fullpath)}${e.targetPath && e.targetPath.length > 0 ? ` -> ${rel(e.targetPath)}` : ''}`)
    .sort();

/** What DistributedFileSystem.getSnapshotDiffReport does: page getSnapshotDiffReportListing from the cursor answered until it is (empty, -1), then build the report. */
async function pagedDiff(snapshotRoot: string, fromSnapshot: string, toSnapshot: string): Promise<{ report: string[]; pages: number[] }> {
  const lists = { modified: [] as hadoop.hdfs.ISnapshotDiffReportListingEntryProto[], created: [] as hadoop.hdfs.ISnapshotDiffReportListingEntryProto[], deleted: [] as hadoop.hdfs.ISnapshotDiffReportListingEntryProto[] };
  const pages: number[] = [];
  let cursor: { startPath: Uint8Array; index: number } = { startPath: new Uint8Array(0), index: -1 };
  let isFromEarlier = true;
  do {
    const r = (await su.call('getSnapshotDiffReportListing', H.GetSnapshotDiffReportListingRequestProto, { snapshotRoot, fromSnapshot, toSnapshot, cursor }, H.GetSnapshotDiffReportListingResponseProto)).diffReport;
    const [m, c, d] = [r.modifiedEntries ?? [], r.createdEntries ?? [], r.deletedEntries ?? []];
    pages.push(m.length + c.length + d.length);
    lists.modified.push(...m);
    lists.created.push(...c);
    lists.deleted.push(...d);
    isFromEarlier = r.isFromEarlier;
    cursor = { startPath: r.cursor?.startPath ?? new Uint8Array(0), index: r.cursor?.index ?? -1 };
    if (pages.length > 1000) throw new Error('the cursor never came back to (empty, -1)');
  } while (cursor.startPath.length > 0 || cursor.index !== -1);
  const entry = (e: hadoop.hdfs.ISnapshotDiffReportListingEntryProto) => ({
    dirId: Number(e.dirId),
    fileId: Number(e.fileId),
    path: Buffer.from(e.fullpath ?? []).toString(),
    isReference: e.isReference ?? false,
    ...(e.targetPath && e.targetPath.length > 0 ? { target: Buffer.from(e.targetPath).toString() } : {}),
  });
  const listing = { modified: lists.modified.map(entry), created: lists.created.map(entry), deleted: lists.deleted.map(entry) };
  const report = reportOf(listing, isFromEarlier).map((e) => `${e.label} ${e.source === '' ? '.' : `./${e.source}`}${e.target === undefined ? '' : ` -> ${e.target === '' ? '.' : `./${e.target}`}`}`);
  return { report: report.sort(), pages };
}

test('moves between two snapshottable roots, into and out of a snapshotted tree, and between nested directories', async () => {
  await Promise.all([mkdirs('/m1/dir'), mkdirs('/m1/n/deep'), mkdirs('/m1/out'), mkdirs('/m2/in'), mkdirs('/plain/p')]);
  await Promise.all([touch('/m1/f'), touch('/m1/dir/x'), touch('/m1/dir/y'), touch('/m1/n/deep/g'), touch('/m1/out/c'), touch('/m2/in/i')]);
  await Promise.all([allow('/m1'), allow('/m2')]);
  await take('/m1', 's1');
  await take('/m2', 't1');
  await move('/m1/f', '/m2/f'); // a file across roots
  await move('/m1/dir', '/m2/dir'); // a directory across roots
  await move('/m2/in', '/m1/in'); // the other way
  await move('/m1/n/deep/g', '/m1/g2'); // out of nested directories, within the root
  await move('/plain/p', '/m1/p'); // into a snapshotted tree from a plain one
  await move('/m1/out', '/plain/out'); // out of a snapshotted tree into a plain one
  await take('/m1', 's2');
  await take('/m2', 't2');

  // HDFS: a rename within a root is R (its old and new parents M); across roots it is - where it left and + where it arrived.
  const m1 = ['+ ./in', '+ ./p', '- ./dir', '- ./f', '- ./out', 'M .', 'M ./n/deep', 'R ./n/deep/g -> ./g2'];
  const m2 = ['+ ./dir', '+ ./f', '- ./in', 'M .'];
  expect(await diff('/m1', 's1', 's2')).toEqual(m1);
  expect(await diff('/m2', 't1', 't2')).toEqual(m2);
  expect(await diff('/m1', 's2', 's1')).toEqual(['+ ./dir', '+ ./f', '+ ./out', '- ./in', '- ./p', 'M .', 'M ./n/deep', 'R ./g2 -> ./n/deep/g']);
  // The paged listing, 2 entries a page, builds the same report.
  const paged = await pagedDiff('/m1', 's1', 's2');
  process.stdout.write(`getSnapshotDiffReportListing /m1 s1 s2, ${PAGE} a page: ${paged.pages.length} pages (${paged.pages.join(' ')})\n`);
  expect(paged.report).toEqual(m1);
  expect(paged.pages.length).toBeGreaterThan(3);
  expect(paged.pages.every((n) => n <= PAGE)).toBe(true);
  expect((await pagedDiff('/m2', 't2', 't1')).report).toEqual(await diff('/m2', 't2', 't1'));

  // The old paths read through the snapshot taken before the moves; the new ones through the one after.
  expect(await Promise.all(['/m1/.snapshot/s1/f', '/m1/.snapshot/s1/dir/x', '/m1/.snapshot/s1/n/deep/g', '/m1/.snapshot/s1/out/c'].map(exists))).toEqual([true, true, true, true]);
  expect(await Promise.all(['/m1/.snapshot/s1/in', '/m1/.snapshot/s1/p', '/m1/.snapshot/s1/g2', '/m2/.snapshot/t1/dir', '/m2/.snapshot/t1/f'].map(exists))).toEqual([false, false, false, false, false]);
  expect(await names('/m1/.snapshot/s1')).toEqual(['dir', 'f', 'n', 'out']);
  expect(await names('/m1/.snapshot/s2')).toEqual(['g2', 'in', 'n', 'p']);
  expect(await names('/m2/.snapshot/t1')).toEqual(['in']);
  expect(await names('/m2/.snapshot/t2')).toEqual(['dir', 'f']);

  // Changes inside the moved directory, now under /m2's snapshots, leave /m1's snapshot of it as it was.
  await remove('/m2/dir/x');
  await touch('/m2/dir/z');
  expect(await names('/m1/.snapshot/s1/dir')).toEqual(['x', 'y']);
  expect(await names('/m2/.snapshot/t2/dir')).toEqual(['x', 'y']);
  expect(await names('/m2/dir')).toEqual(['y', 'z']);
  expect(await diff('/m2', 't2', '')).toEqual(['+ ./dir/z', '- ./dir/x', 'M ./dir']);
  // So do changes inside the directory moved out to a tree with no snapshot: it still carries /m1's s1.
  await remove('/plain/out/c');
  await touch('/plain/out/new');
  await mkdirs('/plain/out/sub/deeper');
  expect(await names('/m1/.snapshot/s1/out')).toEqual(['c']);
  expect(await names('/plain/out')).toEqual(['new', 'sub']);
  expect(await diff('/m1', 's1', 's2')).toEqual(m1);
  expect((await fsck(f.namenode.namesystem.db, sqlRepositories.fsck)).problems).toEqual([]);
}, 60_000);

test(`a delete and a rename above subtreeThreshold inside a snapshotted tree keep what the snapshot holds`, async () => {
  const files = ['a/1', 'a/2', 'a/3', 'b/1', 'b/2', 'b/c/1', 'b/c/2'];
  await Promise.all(['/sb/big', '/sb/moving', '/sb2'].map(mkdirs));
  for (const p of files) await Promise.all([touch(`/sb/big/${p}`), touch(`/sb/moving/${p}`)]);
  await Promise.all([allow('/sb'), allow('/sb2')]);
  await take('/sb', 's1');
  await take('/sb2', 's1');
  await remove('/sb/big'); // 11 inodes under it: a subtree operation, in batches of 3
  await move('/sb/moving', '/sb2/moved'); // a subtree rename, across roots
  expect(await exists('/sb/big')).toBe(false);
  expect(await names('/sb/.snapshot/s1/big')).toEqual(['a', 'b']);
  expect(await names('/sb/.snapshot/s1/big/b/c')).toEqual(['1', '2']);
  expect(await Promise.all(files.map((p) => exists(`/sb/.snapshot/s1/big/${p}`)))).toEqual(files.map(() => true));
  expect(await names('/sb/.snapshot/s1/moving/b')).toEqual(['1', '2', 'c']);
  expect(await names('/sb2/moved/b/c')).toEqual(['1', '2']);
  expect(await diff('/sb', 's1', '')).toEqual(['- ./big', '- ./moving', 'M .']);
  expect(await diff('/sb2', 's1', '')).toEqual(['+ ./moved', 'M .']);
  const report = await fsck(f.namenode.namesystem.db, sqlRepositories.fsck);
  expect(report.problems).toEqual([]);
  process.stdout.write(`fsck snapshots: ${JSON.stringify(report.snapshots)}\n`);
  expect(report.snapshots).toMatchObject({ snapshottableDirs: 4, withSnapshots: 4 });

  // Deleting the snapshot lets the reclaimer drop every version the big delete wrote; fsck stays clean.
  await su.call('deleteSnapshot', H.DeleteSnapshotRequestProto, { snapshotRoot: '/sb', snapshotName: 's1' }, H.DeleteSnapshotResponseProto);
  await until('the reclaimer has taken /sb s1', async () => (await fsck(f.namenode.namesystem.db, sqlRepositories.fsck)).snapshots.pendingReclamation === 0, 20_000, 200);
  expect((await fsck(f.namenode.namesystem.db, sqlRepositories.fsck)).problems).toEqual([]);
  expect(await names('/sb/.snapshot')).toEqual([]);
}, 60_000);
