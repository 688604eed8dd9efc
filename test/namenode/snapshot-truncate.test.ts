import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fsShellBatch, type JavaRunOptions } from '../harness/java-hadoop';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { hdfs, stdoutOf } from '../harness/go-hdfs';
import { ensureGoAppend, goAppend } from '../harness/go-programs';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { fsck } from '../../namenode/fsck/fsck';
import { until } from '../harness/eventually';
import { findBlockFile } from '../harness/replica-files';

/**
 * Writes after a snapshot that go by blocks, against a real namenode,
 * MariaDB and a real datanode, with the Go client for the data: appends
 * (the file's length and its last block's bytes as the snapshot saw them)
 * and truncates mid-block and on a block boundary (HDFS's copy-on-truncate:
 * the cut block is copied into a new block, the old blocks stay for the
 * snapshot). Old paths read back byte-exact through `.snapshot`, live paths
 * at their new lengths; once the snapshots go, the leader frees the blocks
 * only they held and fsck stays clean throughout.
 */

const H = hadoop.hdfs;
const MiB = 1 << 20;

let f: DataFleet;
let c: IpcClient;

beforeAll(async () => {
  ensureGoAppend();
  f = await dataFleet('snaptrunc', 1, { blockSize: MiB, replication: 1, housekeepingIntervalMs: 500 });
  await f.waitForDatanodes(1);
  c = await IpcClient.connect({ host: '127.0.0.1', port: f.namenode.rpcPort, user: f.superuser, protocolName: CLIENT_PROTOCOL });
}, 600_000);
afterAll(async () => {
  await c?.close();
  await f?.close();
});

/** Printable, so it goes through the Go client's stdin and stdout as it is; random, so a wrong block reads wrong. */
const text = (n: number) => randomBytes(Math.ceil((n * 3) / 4) + 3).toString('base64').slice(0, n);
const go = (...args: string[]) => stdoutOf(hdfs(f.address, f.superuser, args));
const put = (path: string, data: string) => stdoutOf(hdfs(f.address, f.superuser, ['put', '-', path], data));
const append = async (path: string, data: string) => expect((await goAppend(f.address, f.superuser, path, Buffer.from(data))).code).toBe(0);
const located = async (src: string) =>
  (await c.call('getBlockLocations', H.GetBlockLocationsRequestProto, { src, offset: 0, length: Number.MAX_SAFE_INTEGER }, H.GetBlockLocationsResponseProto)).locations;
const blockIds = async (src: string) => ((await located(src))?.blocks ?? []).map((b) => Number(b.b.blockId));
const length = async (src: string) => Number((await c.call('getFileInfo', H.GetFileInfoRequestProto, { src }, H.GetFileInfoResponseProto)).fs?.length);
const snapshot = (name: string) => c.call('createSnapshot', H.CreateSnapshotRequestProto, { snapshotRoot: '/tt', snapshotName: name }, H.CreateSnapshotResponseProto);
const noProblems = async () => expect((await fsck(f.namenode.namesystem.db, sqlRepositories.fsck)).problems).toEqual([]);
const onDatanode = (id: number) => findBlockFile(f.dirs[0] as string, id) !== undefined;

/** A Java client's configuration: this fleet's namenode as the default file system. */
function javaAs(): JavaRunOptions {
  const dir = mkdtempSync(join(tmpdir(), 'nnfleet-snaptrunc-conf-'));
  writeFileSync(join(dir, 'core-site.xml'), `<?xml version="1.0"?>\n<configuration><property><name>fs.defaultFS</name><value>hdfs://${f.address}</value></property></configuration>\n`);
  return { confDir: dir, user: f.superuser };
}

/** truncate as the Go client sends it; a cut block is recovered first: the file closes when that is done. */
async function truncate(path: string, to: number): Promise<void> {
  await go('truncate', String(to), path);
  await until(`${path} closed at ${to}`, async () => (await located(path))?.underConstruction === false && (await length(path)) === to, 30_000, 100);
}

test('appends and truncates after a snapshot: old paths read as they were, live ones at their new lengths; the old blocks go with the snapshots', async () => {
  const big = text(2 * MiB + 300_000); // three blocks
  const small = text(5000);
  const grown = text(3000);
  await go('mkdir', '-p', '/tt');
  await put('/tt/mid', big);
  await put('/tt/edge', big);
  await put('/tt/app', small);
  await put('/tt/appcut', grown);
  const jv = text(3000);
  await put('/tt/jv', jv);
  await c.call('allowSnapshot', H.AllowSnapshotRequestProto, { snapshotRoot: '/tt' }, H.AllowSnapshotResponseProto);
  await snapshot('s1');
  const [mid, edge] = [await blockIds('/tt/mid'), await blockIds('/tt/edge')];
  expect([mid.length, edge.length]).toEqual([3, 3]);

  await append('/tt/app', 'appended after s1');
  await append('/tt/appcut', 'z'.repeat(2000)); // in place in the last block, then that block is cut
  await truncate('/tt/appcut', 4000);
  await truncate('/tt/mid', MiB + 1000); // mid-block: the second block is copied, the third dropped
  await truncate('/tt/edge', MiB); // a block boundary: no recovery, two blocks dropped
  await noProblems();

  expect((await go('cat', '/tt/.snapshot/s1/mid')) === big).toBe(true);
  expect((await go('cat', '/tt/.snapshot/s1/edge')) === big).toBe(true);
  // A block appended in place is read up to the snapshot's length. The Go client reads a block to the end of
  // the datanode's stream, which (as Hadoop's BlockSender) ends on a checksum chunk boundary: the Java client,
  // which stops at the file's length, is the byte-exact check; the namenode's answers are checked here.
  const java = await fsShellBatch([['-cat', '/tt/.snapshot/s1/app'], ['-cat', '/tt/.snapshot/s1/appcut'], ['-truncate', '-w', '1000', '/tt/jv'], ['-cat', '/tt/.snapshot/s1/jv'], ['-cat', '/tt/jv']], javaAs());
  expect(java.map((r) => [r.code, r.stdout])).toEqual([[0, small], [0, grown], [0, expect.any(String)], [0, jv], [0, jv.slice(0, 1000)]]);
  expect([(await located('/tt/.snapshot/s1/app'))?.fileLength, (await located('/tt/.snapshot/s1/appcut'))?.fileLength].map(Number)).toEqual([small.length, grown.length]);
  expect((await go('cat', '/tt/mid')) === big.slice(0, MiB + 1000)).toBe(true);
  expect((await go('cat', '/tt/edge')) === big.slice(0, MiB)).toBe(true);
  expect(await go('cat', '/tt/app')).toBe(`${small}appended after s1`);
  expect(await go('cat', '/tt/appcut')).toBe(`${grown}${'z'.repeat(1000)}`);
  expect([await length('/tt/.snapshot/s1/mid'), await length('/tt/.snapshot/s1/app'), await length('/tt/mid')]).toEqual([big.length, small.length, MiB + 1000]);
  // Copy-on-truncate: the live file's second block is a new one; the snapshot's stays on the datanode.
  const midNow = await blockIds('/tt/mid');
  expect([midNow.length, midNow[0] === mid[0], midNow[1] === mid[1]]).toEqual([2, true, false]);
  expect([...mid, ...edge].map(onDatanode)).toEqual([true, true, true, true, true, true]);
  expect(await blockIds('/tt/.snapshot/s1/mid')).toEqual(mid);

  // A second snapshot and a second cut: each snapshot reads its own time.
  await snapshot('s2');
  await truncate('/tt/mid', 500);
  expect((await go('cat', '/tt/.snapshot/s2/mid')) === big.slice(0, MiB + 1000)).toBe(true);
  expect((await go('cat', '/tt/.snapshot/s1/mid')) === big).toBe(true);
  expect(await go('cat', '/tt/mid')).toBe(big.slice(0, 500));
  await noProblems();

  // Housekeeping rounds run every 500 ms: give them time to do wrong before looking.
  await new Promise((r) => setTimeout(r, 2000));
  expect([...mid, ...edge, ...midNow].map(onDatanode).every(Boolean)).toBe(true);

  for (const name of ['s1', 's2']) await c.call('deleteSnapshot', H.DeleteSnapshotRequestProto, { snapshotRoot: '/tt', snapshotName: name }, H.DeleteSnapshotResponseProto);
  const freed = [mid[0], mid[1], mid[2], midNow[1], edge[1], edge[2]] as number[];
  await until('the blocks only the snapshots held are invalidated on the datanode', () => freed.every((id) => !onDatanode(id)), 30_000, 200);
  const live = [...(await blockIds('/tt/mid')), ...(await blockIds('/tt/edge'))];
  expect([live.length, live.every(onDatanode), live[1] === edge[0]]).toEqual([2, true, true]);
  expect(await go('cat', '/tt/mid')).toBe(big.slice(0, 500));
  expect((await go('cat', '/tt/edge')) === big.slice(0, MiB)).toBe(true);
  await noProblems();
}, 240_000);
