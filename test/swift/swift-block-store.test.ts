import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChecksumType, computeChunkChecksums, findChecksumMismatch, type ChecksumSpec } from '../../protocol/datatransfer/checksum';
import { ReplicaAlreadyExistsError, ReplicaStateError } from '../../datanode/store/block-store';
import { loadSwiftCredentials, SWIFT_ENV } from '../../datanode/store/swift-credentials';
import { SwiftBlockStore, type SwiftStoreOptions } from '../../datanode/store/swift-block-store';
import { startSwiftCluster, type SwiftCluster } from '../../cli/local/swift-server';
import { until } from '../harness/eventually';
import { payload } from '../harness/payload';

const SPEC: ChecksumSpec = { type: ChecksumType.CRC32C, bytesPerChecksum: 512 };
let swift: SwiftCluster;
const dirs: string[] = [];
const stores: SwiftBlockStore[] = [];

beforeAll(async () => {
  swift = await startSwiftCluster({ tokenLifeSeconds: 2 });
}, 120_000);
afterAll(async () => {
  for (const s of stores) s.close();
  await swift?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function gateway(container: string, extra: Partial<SwiftStoreOptions> = {}): Promise<SwiftBlockStore> {
  const stagingDir = mkdtempSync(join(tmpdir(), 'nnfleet-swift-staging-'));
  dirs.push(stagingDir);
  const store = await SwiftBlockStore.open({ credentials: loadSwiftCredentials(swift.credentialsFile()), container, stagingDir, idleTimeoutMs: 5_000, ...extra });
  stores.push(store);
  return store;
}

async function writeReplica(store: SwiftBlockStore, blockId: number, gs: number, data: Buffer): Promise<void> {
  const w = await store.createRbw(blockId, gs, SPEC);
  // Packet-sized appends, as a pipeline makes them.
  for (let off = 0; off < data.length; off += 64 * 1024) {
    const part = data.subarray(off, off + 64 * 1024);
    await w.append(part, computeChunkChecksums(SPEC, part));
  }
  await w.finalize();
}

async function readWhole(store: SwiftBlockStore, blockId: number, gs: number): Promise<Buffer> {
  const r = await store.openReader({ blockId, generationStamp: gs });
  const data = await r.readData(0, r.info.numBytes);
  const sums = await r.readChecksums(0, Math.ceil(r.info.numBytes / SPEC.bytesPerChecksum));
  expect(findChecksumMismatch(SPEC, data, sums)).toBe(-1);
  await r.close();
  return data;
}

const objects = async (container: string): Promise<string[]> => (await swift.swiftCli(['list', container])).split('\n').filter((l) => l !== '');

test('a finalized replica is one object in Swift holding its checksums; ranged reads verify; another gateway serves it', async () => {
  const a = await gateway('blocks1');
  const data = payload(300_000, 1);
  await writeReplica(a, 1001, 7, data);
  await writeReplica(a, 1002, 7, Buffer.alloc(0));
  expect(await objects('blocks1')).toEqual(['blk_1001_7', 'blk_1002_7']);
  expect(a.get(1001)).toMatchObject({ state: 'finalized', numBytes: 300_000, generationStamp: 7 });
  expect((await readWhole(a, 1001, 7)).equals(data)).toBe(true);
  expect((await readWhole(a, 1002, 7)).length).toBe(0);
  const r = await a.openReader({ blockId: 1001, generationStamp: 7 });
  expect((await r.readData(123_457, 1000)).equals(data.subarray(123_457, 124_457))).toBe(true);
  expect(await r.readChecksums(2, 3)).toEqual(computeChunkChecksums(SPEC, data.subarray(1024, 2560)));
  await expect(a.createRbw(1001, 8, SPEC)).rejects.toBeInstanceOf(ReplicaAlreadyExistsError);

  // A second gateway on the same container: nothing known at first, found by lookup, served.
  const b = await gateway('blocks1');
  expect(b.list().map((x) => x.blockId).sort()).toEqual([1001, 1002]);
  await writeReplica(a, 1003, 9, payload(5000, 3));
  expect(b.get(1003)).toBeUndefined();
  expect(await b.lookup(1003, 9)).toMatchObject({ numBytes: 5000, state: 'finalized' });
  expect((await readWhole(b, 1003, 9)).equals(payload(5000, 3))).toBe(true);
  expect(b.list().map((x) => x.blockId)).not.toContain(1003);
});

test('append and recovery make a new object and retire the old; refusals change nothing', async () => {
  const a = await gateway('blocks2');
  const first = payload(1500, 4);
  await writeReplica(a, 2001, 1, first);
  await expect(a.openNewGeneration({ blockId: 2001, generationStamp: 1 }, { kind: 'append', generationStamp: 2, length: 99 })).rejects.toBeInstanceOf(ReplicaStateError);
  expect(await objects('blocks2')).toEqual(['blk_2001_1']);
  const w = await a.openNewGeneration({ blockId: 2001, generationStamp: 1 }, { kind: 'append', generationStamp: 2, length: 1500 });
  const more = payload(700, 5);
  await w.append(more, computeChunkChecksums(SPEC, more));
  await w.finalize();
  // The old generation's object is deleted in the background (the gateway's delete queue).
  await a.deletionsDrained();
  expect(await objects('blocks2')).toEqual(['blk_2001_2']);
  expect((await readWhole(a, 2001, 2)).equals(Buffer.concat([first, more]))).toBe(true);

  // Block recovery with a truncate to 1000 bytes.
  const t = await a.openNewGeneration({ blockId: 2001, generationStamp: 2 }, { kind: 'recovery', generationStamp: 3, minBytes: 0, maxBytes: 1000 });
  await t.finalize();
  await a.deletionsDrained();
  expect(await objects('blocks2')).toEqual(['blk_2001_3']);
  expect((await readWhole(a, 2001, 3)).equals(first.subarray(0, 1000))).toBe(true);

  expect(await a.delete({ blockId: 2001, generationStamp: 2 })).toBe(false);
  expect(await a.delete({ blockId: 2001, generationStamp: 3 })).toBe(true);
  await a.deletionsDrained();
  expect(await objects('blocks2')).toEqual([]);
});

test('a block above the single-object limit is a Static Large Object; reads span segments; delete removes the segments', async () => {
  const a = await gateway('blocks3', { maxObjectBytes: 100_000, readCacheBytes: 0 });
  const data = payload(350_000, 6);
  await writeReplica(a, 3001, 1, data);
  expect(await objects('blocks3')).toEqual(['blk_3001_1']);
  expect((await objects('blocks3_segments')).length).toBe(4);
  expect((await readWhole(a, 3001, 1)).equals(data)).toBe(true);
  const r = await a.openReader({ blockId: 3001, generationStamp: 1 });
  expect((await r.readData(99_000, 3000)).equals(data.subarray(99_000, 102_000))).toBe(true);
  // A fresh gateway indexes it from the listing and HEAD.
  const b = await gateway('blocks3', { maxObjectBytes: 100_000 });
  expect(b.get(3001)).toMatchObject({ numBytes: 350_000 });
  expect(await a.delete({ blockId: 3001, generationStamp: 1 })).toBe(true);
  await a.deletionsDrained();
  expect(await objects('blocks3')).toEqual([]);
  expect(await objects('blocks3_segments')).toEqual([]);
});

test('an expired token is replaced: the store logs in again on 401 and the read succeeds', async () => {
  const a = await gateway('blocks4', { readCacheBytes: 0 });
  await writeReplica(a, 4001, 1, payload(2000, 8));
  // TempAuth tokens live 2 s here. A token taken now (TempAuth hands back the store's own while it is
  // valid) expires no earlier than the store's: once Swift refuses it, the store's cached one is stale.
  const auth = await fetch(swift.authUrl, { headers: { 'X-Auth-User': swift.user, 'X-Auth-Key': swift.key } });
  const [token, storage] = [auth.headers.get('x-auth-token'), auth.headers.get('x-storage-url')];
  if (!auth.ok || !token || !storage) throw new Error(`TempAuth login: HTTP ${auth.status}`);
  await until('the token to expire', async () => (await fetch(storage, { method: 'HEAD', headers: { 'X-Auth-Token': token } })).status === 401, 30_000, 200);
  expect((await readWhole(a, 4001, 1)).equals(payload(2000, 8))).toBe(true);
});

test('credentials come from a file or the environment; a missing or foreign one is refused by name', () => {
  const env = { [SWIFT_ENV.authUrl]: swift.authUrl, [SWIFT_ENV.user]: swift.user, [SWIFT_ENV.key]: swift.key };
  expect(loadSwiftCredentials(undefined, env)).toEqual({ auth: 'tempauth', authUrl: swift.authUrl, user: swift.user, key: swift.key });
  expect(() => loadSwiftCredentials(undefined, { ...env, [SWIFT_ENV.key]: '' })).toThrow(/"key" is missing/);
  expect(() => loadSwiftCredentials(undefined, { ...env, [SWIFT_ENV.authUrl]: 'ftp://x' })).toThrow(/http/);
  const file = join(dirs[0] ?? tmpdir(), 'bad.json');
  writeFileSync(file, JSON.stringify({ auth: 'keystone-v2', authUrl: swift.authUrl, user: 'u', key: 'k' }));
  expect(() => loadSwiftCredentials(file)).toThrow(/not supported/);
});
