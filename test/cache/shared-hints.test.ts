import pino from 'pino';
import { CoherentRows } from '../../namenode/cache/coherent-rows';
import { fleetSharingFor, type FleetSharing } from '../../namenode/cache/fleet-sharing';
import { redisClient } from '../../namenode/cache/redis-client';
import type { Namesystem } from '../../namenode/namesystem';
import { CreateFlag } from '../../namenode/ops/create';
import { HintCache } from '../../namenode/tx/hint-cache';
import { until } from '../harness/eventually';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';
import { startRedis, type RedisFixture } from '../harness/redis-server';

const logger = pino({ level: process.env['NNFLEET_LOG_LEVEL'] ?? 'silent' });
const PREFIX = 'sharedhints:';
const FILES = 60;
const fileOf = (i: number) => `/sh/a${i % 5}/b${i}/c/f`;

/**
 * Namenodes as namesystems on one database, each with its own coherent
 * inode cache, on one real redis-server: a freshly started one resolves
 * paths with the hints the fleet shared (one batched lookup per path) or
 * without (one lookup per unknown level). Statements printed, never timed.
 */
describe('shared path hints through Redis', () => {
  let redis: RedisFixture;
  let f: NamesystemFixture;
  const started: { stop(): unknown }[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    f = await namesystemFixture('sharedhints');
  });

  afterAll(async () => {
    for (const s of started) await s.stop();
    await f?.close();
    await redis?.stop();
  });

  /** A freshly started namenode: empty caches; its hints shared with the fleet or its own only. */
  async function freshNamenode(shared: boolean): Promise<{ ns: Namesystem; sharing: FleetSharing | undefined }> {
    const config = { ...f.config, redisUrl: redis.url, cacheRedisPrefix: PREFIX, replicaNotices: false, sharedHints: shared };
    const rows = new CoherentRows({ endpoint: { url: redis.url }, prefix: PREFIX, maxBytes: 1 << 24, leaseMs: 1000, marginMs: 100, coherent: true, logger });
    await rows.start();
    started.push(rows);
    await until('the cache lease', () => rows.redis.leaseValid);
    const local = new HintCache(config.hintCacheBytes);
    const sharing = fleetSharingFor(config, local, logger);
    await sharing?.start();
    if (sharing) started.push(sharing);
    return { ns: f.other(rows, sharing?.hints ?? local), sharing };
  }

  /** Database round trips of `getFileInfo` of every file, in order, on `ns`. */
  async function statementsOfFirstLookups(ns: Namesystem): Promise<number> {
    const before = f.sqlDb.roundTrips;
    for (let i = 0; i < FILES; i++) expect((await ns.getFileInfo(f.root, fileOf(i)))?.type).toBe('file');
    return f.sqlDb.roundTrips - before;
  }

  test('a fresh namenode with the fleet’s hints resolves in fewer statements than one without', async () => {
    const writer = await freshNamenode(true);
    for (let i = 0; i < FILES; i++) {
      await writer.ns.mkdirs(f.root, fileOf(i).replace(/\/f$/, ''), 0o755, true);
      await writer.ns.create(f.root, { src: fileOf(i), masked: 0o644, clientName: 'DFSClient_hints', clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: false, replication: 1, blockSize: 1 << 20 });
    }
    // The fleet has served these paths: the writer resolved every directory and shared it.
    for (let i = 0; i < FILES; i++) await writer.ns.getFileInfo(f.root, fileOf(i));
    const r = redisClient({ url: redis.url }, 100);
    started.push({ stop: () => r.disconnect() });
    await r.connect();
    // 1 + 5 + 60 + 60 directories: /sh, /sh/aK, /sh/aK/bI, /sh/aK/bI/c.
    await until('the shared hints written', async () => (await r.keys(`${PREFIX}hint:*`)).length === 1 + 5 + 2 * FILES);

    const own = await freshNamenode(false);
    const withoutShared = await statementsOfFirstLookups(own.ns);
    const fleet = await freshNamenode(true);
    const withShared = await statementsOfFirstLookups(fleet.ns);
    const m = fleet.sharing?.hints?.metrics;
    console.log(
      `first ${FILES} getFileInfo (depth 5) on a freshly started second namenode: ${withoutShared} database statements with its own hints only ` +
        `(${(withoutShared / FILES).toFixed(2)}/op), ${withShared} with the fleet's shared hints (${(withShared / FILES).toFixed(2)}/op); ` +
        `shared-hint lookups ${m?.lookups}, hits ${m?.hits}, misses ${m?.misses}`,
    );
    expect(withShared).toBeLessThan(withoutShared);
    expect(m?.hits).toBeGreaterThan(0);
  });

  test('a wrong shared hint costs a fallback, never a wrong answer, and is repaired in Redis', async () => {
    const r = redisClient({ url: redis.url }, 100);
    started.push({ stop: () => r.disconnect() });
    await r.connect();
    const a0 = (await f.ns.getFileInfo(f.root, '/sh/a0'))?.fileId;
    const target = await f.ns.getFileInfo(f.root, fileOf(0));
    // Another directory's id under /sh/a0's name, and an id nobody has under /sh/a0/b0's.
    const other = (await f.ns.getFileInfo(f.root, '/sh/a1'))?.fileId;
    await r.set(`${PREFIX}hint:/sh/a0`, String(other));
    await r.set(`${PREFIX}hint:/sh/a0/b0`, '987654321');
    const fresh = await freshNamenode(true);
    const seen = await fresh.ns.getFileInfo(f.root, fileOf(0));
    expect(seen?.fileId).toBe(target?.fileId);
    expect(await fresh.ns.getFileInfo(f.root, '/sh/a0/b1/c/f')).toBeUndefined();
    // The resolver found /sh/a0's row under another id, dropped the hint and walked on: Redis gets the real ids back.
    await until('the wrong hints replaced', async () => (await r.get(`${PREFIX}hint:/sh/a0`)) === String(a0));
    const b0 = (await f.ns.getFileInfo(f.root, '/sh/a0/b0'))?.fileId;
    await until('the made-up hint replaced', async () => (await r.get(`${PREFIX}hint:/sh/a0/b0`)) === String(b0));
  });
});
