import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Long from 'long';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { bulkTree } from '../../cli/bench/bulk-tree';
import { eventually } from '../harness/eventually';
import { failureOf } from '../harness/failure-of';
import { hdfs } from '../harness/go-hdfs';
import { subtreeFleet, type SubtreeFleet } from '../harness/subtree-fleet';

const H = hadoop.hdfs;
const NS = 'org.apache.hadoop.hdfs.protocol.NSQuotaExceededException';
const DS = 'org.apache.hadoop.hdfs.protocol.DSQuotaExceededException';
const DONT_SET = Long.fromString('9223372036854775807', true);
const PAYLOAD = 4096;

/**
 * Quotas across subtree operations, on a real namenode process, MariaDB and
 * a datanode: a big delete releases usage batch by batch, a big rename
 * charges the destination and frees the source (or is refused whole with
 * Hadoop's exception), a big delete cut short by kill -9 and retried leaves
 * usage exact. "Exact" = getQuotaUsage (the counters) equals a recount
 * (getContentSummary walks the tree). Threshold 50 and batches of 20 make
 * the trees below (a few hundred inodes) subtree operations of many
 * transactions. Files: zero-length ones bulk-loaded, a few with a real
 * block put by the Go client.
 */
let f: SubtreeFleet;
let c: IpcClient;
beforeAll(async () => {
  f = await subtreeFleet('stquota', { namenodes: 1, datanodes: 1, defines: ['housekeepingIntervalMs=500', 'subtreeThreshold=50', 'subtreeBatchSize=20', 'minBlockSize=0'] });
  c = await IpcClient.connect({ host: '127.0.0.1', port: f.namenodes[0]!.rpcPort, user: f.user, protocolName: CLIENT_PROTOCOL });
}, 90_000);
afterAll(async () => {
  await c?.close();
  await f?.close();
});

const go = async (args: readonly string[]) => {
  const r = await hdfs(f.address(), f.user, args);
  if (r.code !== 0) throw new Error(`hdfs ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

/** `n` files of PAYLOAD bytes (one real block each) under `dir`, through the Go client. */
async function putReal(dir: string, n: number): Promise<void> {
  const local = join(f.work, 'payload');
  writeFileSync(local, Buffer.alloc(PAYLOAD, 7));
  for (let i = 0; i < n; i++) await eventually(`put ${dir}/real-${i}`, async () => ((await hdfs(f.address(), f.user, ['put', local, `${dir}/real-${i}`])).code === 0 ? true : undefined), 30_000, 250);
}

/** A tree of 1 + 4 + 4 × 60 bulk inodes and 3 real files under `root` (created). */
async function bigTree(root: string): Promise<void> {
  await go(['mkdir', '-p', root]);
  await bulkTree(f.db.config, root, { dirs: 4, filesPerDir: 60, user: f.user });
  await putReal(root, 3);
}

const setQuotaOn = (on: IpcClient, path: string, ns: number | Long, ss: number | Long) =>
  on.call('setQuota', H.SetQuotaRequestProto, { path, namespaceQuota: ns, storagespaceQuota: ss }, H.SetQuotaResponseProto);
const setQuota = (path: string, ns: number | Long, ss: number | Long) => setQuotaOn(c, path, ns, ss);

/** What the counters say and what a recount finds: namespace items and storage space. */
async function counted(path: string): Promise<{ count: number; consumed: number }> {
  const u = (await c.call('getQuotaUsage', H.GetQuotaUsageRequestProto, { path }, H.GetQuotaUsageResponseProto)).usage;
  expect(Long.fromValue(u.quota).toSigned().toNumber() >= 0 || Long.fromValue(u.spaceQuota).toSigned().toNumber() >= 0).toBe(true);
  return { count: Number(u.fileAndDirectoryCount), consumed: Number(u.spaceConsumed) };
}
async function recount(path: string): Promise<{ count: number; consumed: number }> {
  const s = (await c.call('getContentSummary', H.GetContentSummaryRequestProto, { path }, H.GetContentSummaryResponseProto)).summary;
  return { count: Number(s.fileCount) + Number(s.directoryCount), consumed: Number(s.spaceConsumed) };
}
async function expectExact(path: string): Promise<{ count: number; consumed: number }> {
  const now = await recount(path);
  expect({ path, ...(await counted(path)) }).toEqual({ path, ...now });
  return now;
}

const exists = async (src: string): Promise<boolean> => Boolean((await c.call('getFileInfo', H.GetFileInfoRequestProto, { src }, H.GetFileInfoResponseProto)).fs);
const del = (src: string, on: IpcClient = c) => on.call('delete', H.DeleteRequestProto, { src, recursive: true }, H.DeleteResponseProto);
const rename = (src: string, dst: string) => c.call('rename', H.RenameRequestProto, { src, dst }, H.RenameResponseProto);

/** Rows of quota limits and usage stripes left for directories that no longer exist. */
async function orphanQuotaRows(dirIds: readonly number[]): Promise<number> {
  const { quotas } = sqlRepositories;
  const [limits, stripes] = await f.storage.db.runAll([quotas.findLimitsByDirsBatched(dirIds, 'none'), quotas.findStripesByDirsBatched(dirIds, 'none')]);
  return limits.length + stripes.length;
}
const inodeId = async (src: string): Promise<number> => Number((await c.call('getFileInfo', H.GetFileInfoRequestProto, { src }, H.GetFileInfoResponseProto)).fs?.fileId);

test('a big delete under two quota directories releases exactly what it removes; a quota directory inside goes with its rows', async () => {
  await bigTree('/qa/inner/tree');
  await bigTree('/qa/inner/doomed');
  await bigTree('/qa/keep');
  await setQuota('/qa/inner/doomed/d00001', 1000, DONT_SET);
  await setQuota('/qa', 100_000, 1 << 30);
  await setQuota('/qa/inner', 10_000, DONT_SET);
  const before = await expectExact('/qa');
  await expectExact('/qa/inner');
  expect(before.consumed).toBeGreaterThanOrEqual(9 * PAYLOAD);

  expect((await del('/qa/inner/tree')).result).toBe(true);
  expect(await exists('/qa/inner/tree')).toBe(false);
  const after = await expectExact('/qa');
  await expectExact('/qa/inner');
  expect(before.count - after.count).toBe(1 + 4 + 240 + 3);
  expect(before.consumed - after.consumed).toBeGreaterThanOrEqual(3 * PAYLOAD);

  // The deleted subtree holds a quota directory: its limits and stripes go with it.
  const nested = await inodeId('/qa/inner/doomed/d00001');
  expect(await orphanQuotaRows([nested])).toBeGreaterThan(0);
  expect((await del('/qa/inner/doomed')).result).toBe(true);
  expect(await orphanQuotaRows([nested])).toBe(0);
  const last = await expectExact('/qa');
  expect(await expectExact('/qa/inner')).toEqual({ count: 1, consumed: 0 });
  expect(last).toEqual(await recount('/qa/keep').then((k) => ({ count: k.count + 2, consumed: k.consumed })));
  expect(await f.subtreeOps()).toEqual([]);
}, 180_000);

test('a big rename from one quota directory into another moves its usage exactly', async () => {
  await bigTree('/qb/src/tree');
  await go(['mkdir', '-p', '/qc/dst']);
  await setQuota('/qb', 100_000, 1 << 30);
  await setQuota('/qc', 100_000, 1 << 30);
  await setQuota('/qc/dst', 100_000, DONT_SET);
  const srcBefore = await expectExact('/qb');
  const dstBefore = await expectExact('/qc');
  const moving = await recount('/qb/src/tree');

  expect((await rename('/qb/src/tree', '/qc/dst/moved')).result).toBe(true);
  expect(await exists('/qb/src/tree')).toBe(false);
  const srcAfter = await expectExact('/qb');
  const dstAfter = await expectExact('/qc');
  await expectExact('/qc/dst');
  expect(srcAfter).toEqual({ count: srcBefore.count - moving.count, consumed: srcBefore.consumed - moving.consumed });
  expect(dstAfter).toEqual({ count: dstBefore.count + moving.count, consumed: dstBefore.consumed + moving.consumed });

  // Within one quota directory (/qc) but out of another (/qc/dst): only /qc/dst changes.
  expect((await rename('/qc/dst/moved', '/qc/back')).result).toBe(true);
  expect(await expectExact('/qc')).toEqual(dstAfter);
  expect(await expectExact('/qc/dst')).toEqual({ count: 1, consumed: 0 });
  expect(await f.subtreeOps()).toEqual([]);
}, 180_000);

describe.each([
  ['namespace', NS],
  ['storage space', DS],
] as const)('a big rename into a quota directory without room for its %s', (dim, exception) => {
  test(`${exception.split('.').pop()}; the tree and both usages unchanged`, async () => {
    const base = dim === 'namespace' ? '/qn' : '/qs';
    await bigTree(`${base}/src/tree`);
    await go(['mkdir', '-p', `${base}/full/sub`]);
    await setQuota(`${base}/src`, 100_000, 1 << 30);
    const moving = await recount(`${base}/src/tree`);
    // Room for all but the last inode, or the last byte.
    if (dim === 'namespace') await setQuota(`${base}/full`, 2 + moving.count - 1, DONT_SET);
    else await setQuota(`${base}/full`, DONT_SET, moving.consumed - 1);
    const srcBefore = await expectExact(`${base}/src`);
    const fullBefore = await expectExact(`${base}/full`);

    expect(await failureOf(rename(`${base}/src/tree`, `${base}/full/sub/moved`))).toBe(exception);
    expect(await exists(`${base}/full/sub/moved`)).toBe(false);
    expect(await recount(`${base}/src/tree`)).toEqual(moving);
    expect(await expectExact(`${base}/src`)).toEqual(srcBefore);
    expect(await expectExact(`${base}/full`)).toEqual(fullBefore);
    expect(await f.subtreeOps()).toEqual([]);

    // One more inode or byte of room and the same rename goes through.
    if (dim === 'namespace') await setQuota(`${base}/full`, 2 + moving.count, DONT_SET);
    else await setQuota(`${base}/full`, DONT_SET, moving.consumed);
    expect((await rename(`${base}/src/tree`, `${base}/full/sub/moved`)).result).toBe(true);
    expect(await expectExact(`${base}/full`)).toEqual({ count: fullBefore.count + moving.count, consumed: fullBefore.consumed + moving.consumed });
    expect(await expectExact(`${base}/src`)).toEqual({ count: srcBefore.count - moving.count, consumed: srcBefore.consumed - moving.consumed });
  }, 180_000);
});

test('a big delete under a quota directory, its namenode killed -9 after some batches: the retry leaves usage exact', async () => {
  await bigTree('/qk/tree');
  await bigTree('/qk/keep');
  await setQuota('/qk', 100_000, 1 << 30);
  const before = await expectExact('/qk');
  const victim = await f.startNamenode(['-D', 'subtreePauseForTests=delete:3']);
  const v = await IpcClient.connect({ host: '127.0.0.1', port: victim.rpcPort, user: f.user, protocolName: CLIENT_PROTOCOL });
  const answered = failureOf(del('/qk/tree', v));
  await victim.run.waitFor(/^subtree-pause delete phase 3$/m, 60_000);
  // One batch is gone: counters and tree agree mid-way too.
  const mid = await expectExact('/qk');
  expect(mid.count).toBeLessThan(before.count);
  process.kill(victim.pid, 'SIGKILL');
  await victim.run.exited;
  expect(await answered).not.toBe('ok');
  await v.close().catch(() => undefined);
  await eventually("the leader clears the dead namenode's lock", async () => ((await f.subtreeOps()).length === 0 ? true : undefined), 30_000, 100);

  await go(['rm', '-r', '/qk/tree']);
  expect(await exists('/qk/tree')).toBe(false);
  expect(await expectExact('/qk')).toEqual({ count: (await recount('/qk/keep')).count + 1, consumed: (await recount('/qk/keep')).consumed });
  const { code, out } = await f.fsck();
  expect({ code, healthy: /is HEALTHY/.test(out) }).toEqual({ code: 0, healthy: true });
}, 180_000);

const RETRIABLE = 'org.apache.hadoop.ipc.RetriableException';
const create = (src: string, on: IpcClient = c) =>
  on.call('create', H.CreateRequestProto, { src, masked: { perm: 0o644 }, clientName: 'DFSClient_stquota', createFlag: 1, createParent: false, replication: 1, blockSize: 1 << 20 }, H.CreateResponseProto);
const complete = (src: string) => c.call('complete', H.CompleteRequestProto, { src, clientName: 'DFSClient_stquota' }, H.CompleteResponseProto);

/** A namenode started with `pause` (the subtree test hook) running `call` on its own connection until it stops there. */
async function pausedVictim(pause: string, call: (v: IpcClient) => Promise<unknown>) {
  const victim = await f.startNamenode(['-D', `subtreePauseForTests=${pause}`]);
  const v = await IpcClient.connect({ host: '127.0.0.1', port: victim.rpcPort, user: f.user, protocolName: CLIENT_PROTOCOL });
  const answered = failureOf(call(v));
  const [op, phase] = pause.split(':');
  await victim.run.waitFor(new RegExp(`^subtree-pause ${op} phase ${phase}$`, 'm'), 60_000);
  return {
    kill: async () => {
      process.kill(victim.pid, 'SIGKILL');
      await victim.run.exited;
      expect(await answered).not.toBe('ok');
      await v.close().catch(() => undefined);
      await eventually("the leader clears the dead namenode's lock", async () => ((await f.subtreeOps()).length === 0 ? true : undefined), 30_000, 100);
    },
  };
}

test('setQuota on a tree above the threshold counts it as a subtree operation: exact usage, writes inside retriable meanwhile, a retry after kill -9 counts again', async () => {
  await bigTree('/qq/tree');
  await bigTree('/qq/plain');
  // Straight through: usage exact, and kept exact by what follows.
  await setQuota('/qq/plain', 100_000, 1 << 30);
  const plain = await expectExact('/qq/plain');
  expect(plain.count).toBe(1 + 4 + 240 + 3);
  await create('/qq/plain/d00000/new');
  await complete('/qq/plain/d00000/new');
  expect(await expectExact('/qq/plain')).toEqual({ count: plain.count + 1, consumed: plain.consumed });

  // Walked, not yet written: the subtree is locked, writes inside get RetriableException, no quota yet.
  const victim = await pausedVictim('setQuota:3', (v) => setQuotaOn(v, '/qq/tree', 100_000, 1 << 30));
  expect((await f.subtreeOps()).map((o) => [o.op, o.path])).toEqual([['setQuota', '/qq/tree']]);
  expect(await failureOf(create('/qq/tree/d00001/inside'))).toBe(RETRIABLE);
  expect(await failureOf(setQuota('/qq/tree', 10, DONT_SET))).toBe(RETRIABLE);
  expect(Long.fromValue((await c.call('getQuotaUsage', H.GetQuotaUsageRequestProto, { path: '/qq/tree' }, H.GetQuotaUsageResponseProto)).usage.quota).toSigned().toNumber()).toBe(-1);
  await victim.kill();
  await setQuota('/qq/tree', 100_000, 1 << 30);
  expect(await expectExact('/qq/tree')).toEqual(plain);
  await create('/qq/tree/d00001/inside');
  await complete('/qq/tree/d00001/inside');
  await expectExact('/qq/tree');
  expect(await f.subtreeOps()).toEqual([]);
}, 180_000);

test('setQuota above a big delete in progress is refused (the delete would not release it); after the retried delete, usage exact', async () => {
  // 61 inodes: a subtree delete; after its first batch of 20, few enough for setQuota's one-transaction count.
  await go(['mkdir', '-p', '/qz/tree', '/qz/keep']);
  await bulkTree(f.db.config, '/qz/tree', { dirs: 0, filesPerDir: 60, user: f.user });
  const victim = await pausedVictim('delete:3', (v) => del('/qz/tree', v));
  expect(await failureOf(setQuota('/qz', 100_000, 1 << 30))).toBe(RETRIABLE);
  await victim.kill();
  await setQuota('/qz', 100_000, 1 << 30);
  await expectExact('/qz');
  await go(['rm', '-r', '/qz/tree']);
  expect(await expectExact('/qz')).toEqual({ count: 2, consumed: 0 });
}, 180_000);
