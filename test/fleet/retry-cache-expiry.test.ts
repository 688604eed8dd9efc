import { hadoop } from '../../protocol/generated/hadoop';
import { createMysqlConnection } from '../../schema/mysql-config';
import type { RunningNamenode } from '../../namenode/namenode-process';
import { until } from '../harness/eventually';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';
import { SameCallClient } from '../harness/same-call';

/**
 * The life of a retry-cache entry (Hadoop's RetryCache with
 * dfs.namenode.retrycache.expirytime.millis): it outlives the namenode
 * that recorded it — a client failing over from a dead namenode still gets
 * its answer — until it expires; then the leader's housekeeping deletes
 * the row, and a retry of the call runs as a new call.
 */
const H = hadoop.hdfs;
const SHORT_EXPIRY_MS = 1000;
let f: NamenodeFixture;
let shortLived: RunningNamenode;
let longLived: RunningNamenode;
let c: SameCallClient;
const A = 0;
const SHORT = 1;
const LONG = 2;

beforeAll(async () => {
  f = await namenodeFixture('rcexp', { housekeepingIntervalMs: 200 });
  shortLived = await f.another({ retryCacheExpiryMs: SHORT_EXPIRY_MS });
  longLived = await f.another();
  c = await SameCallClient.connect([f.namenode.rpcPort, shortLived.rpcPort, longLived.rpcPort], f.superuser);
});
afterAll(async () => {
  c?.close();
  await f?.close();
});

interface EntryRow {
  call_id: number;
  method: string;
  expires_at: number;
}

async function entries(): Promise<EntryRow[]> {
  const conn = await createMysqlConnection(f.db.config);
  try {
    const [rows] = await conn.query('SELECT call_id, method, expires_at FROM retry_cache WHERE client_id = ? ORDER BY call_id', [c.clientId]);
    return (rows as EntryRow[]).map((r) => ({ call_id: Number(r.call_id), method: r.method, expires_at: Number(r.expires_at) }));
  } finally {
    await conn.end();
  }
}

const mkdir = (src: string) => c.call(A, 'mkdirs', H.MkdirsRequestProto, { src, masked: { perm: 0o755 }, createParent: true }, H.MkdirsResponseProto, c.newCallId());
const del = (nn: number, src: string, callId: number, retryCount = -1) =>
  c.call(nn, 'delete', H.DeleteRequestProto, { src, recursive: true }, H.DeleteResponseProto, callId, retryCount);

test('entries expire after the configured time: the leader reaps a dead namenode\'s rows, and a retry then runs anew', async () => {
  await mkdir('/exp/short');
  await mkdir('/exp/long');
  const shortCall = c.newCallId();
  const before = Date.now();
  expect((await del(SHORT, '/exp/short', shortCall)).result).toBe(true);
  const after = Date.now();
  const longCall = c.newCallId();
  expect((await del(A, '/exp/long', longCall)).result).toBe(true);

  const recorded = await entries();
  expect(recorded.map((e) => [e.call_id, e.method])).toEqual([
    [shortCall, 'delete'],
    [longCall, 'delete'],
  ]);
  const shortRow = recorded[0] as EntryRow;
  expect(shortRow.expires_at).toBeGreaterThanOrEqual(before + SHORT_EXPIRY_MS);
  expect(shortRow.expires_at).toBeLessThanOrEqual(after + SHORT_EXPIRY_MS);
  // The default, 10 minutes (Hadoop's dfs.namenode.retrycache.expirytime.millis).
  expect((recorded[1] as EntryRow).expires_at).toBeGreaterThanOrEqual(after + 600_000 - 60_000);

  // The namenode that recorded the short entry dies; the leader still reaps its row once expired.
  await shortLived.stop();
  await until('the expired entry to be reaped', async () => (await entries()).every((e) => e.call_id !== shortCall), 30_000, 100);
  expect((await entries()).map((e) => e.call_id)).toEqual([longCall]);
  const leader = [f.namenode, longLived].find((n) => n.election.isLeader);
  expect(leader).toBeDefined();
  console.log(`retry-cache reaping: leader housekeeping rounds=${leader?.housekeeper.rounds} failures=${leader?.housekeeper.failures}`);

  // Gone from the cache, the retried delete runs again: nothing left to delete.
  expect((await del(A, '/exp/short', shortCall, 1)).result).toBe(false);
  // Not expired, the other one is still answered from the cache.
  const hits = f.namenode.namesystem.runner.stats.retryCacheHits;
  expect((await del(A, '/exp/long', longCall, 1)).result).toBe(true);
  expect(f.namenode.namesystem.runner.stats.retryCacheHits).toBe(hits + 1);
});

test('a client failing over from a namenode that died gets the answer that namenode recorded', async () => {
  const callId = c.newCallId();
  const req = { src: '/exp/created', masked: { perm: 0o644 }, clientName: 'DFSClient_exp', createFlag: H.CreateFlagProto.CREATE, createParent: true, replication: 1, blockSize: 1 << 20 };
  const first = await c.call(LONG, 'create', H.CreateRequestProto, req, H.CreateResponseProto, callId);
  await longLived.stop();
  const hits = f.namenode.namesystem.runner.stats.retryCacheHits;
  const retried = await c.call(A, 'create', H.CreateRequestProto, req, H.CreateResponseProto, callId, 1);
  expect(String(retried.fs?.fileId)).toBe(String(first.fs?.fileId));
  expect(f.namenode.namesystem.runner.stats.retryCacheHits).toBe(hits + 1);
});
