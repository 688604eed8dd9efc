import { CreateFlag } from '../../namenode/ops/create';
import type { RedisEndpoint } from '../../namenode/cache/redis-coherence';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Namesystem } from '../../namenode/namesystem';
import { cacheFleet, LEASE_MS, runWorkload, type Fleet } from '../harness/cache-fleet';
import { until } from '../harness/eventually';
import { startRedis, startSentinelRedis, type RedisFixture } from '../harness/redis-server';

let redis: RedisFixture;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

/** Two namenodes on the test's Redis (or the endpoint given). */
const fleet = (prefix: string, coherent: boolean, endpoint: RedisEndpoint = { url: redis.url }): Promise<Fleet> => cacheFleet(prefix, coherent, endpoint);

describe('coherent inode cache on two namenodes', () => {
  test('a fileStatus, open, listStatus and content summary served from the cache cost no database statement', async () => {
    const fl = await fleet('cachecost', true);
    try {
      const [a, b] = fl.nodes as [Namesystem, Namesystem];
      const who = fl.f.root;
      await a.mkdirs(who, '/s/t', 0o755, true);
      await a.create(who, { src: '/s/f', masked: 0o644, clientName: 'DFSClient_cost', clientMachine: '127.0.0.1', flags: 1, createParent: false, replication: 1, blockSize: 1 << 20 });
      expect(await a.complete(who, '/s/f', 'DFSClient_cost')).toBe(true);
      const reads = async (ns: Namesystem) => {
        expect((await ns.getFileInfo(who, '/s/t'))?.type).toBe('directory');
        expect((await ns.getBlockLocations(who, '/s/f', 0, 1 << 20)).underConstruction).toBe(false);
        expect((await ns.getListing(who, '/s', ''))?.entries.map((e) => e.name)).toEqual(['f', 't']);
        expect(await ns.getContentSummary(who, '/s')).toMatchObject({ fileCount: 1, directoryCount: 2 });
      };
      await reads(a);
      await reads(b);
      const before = fl.f.sqlDb.roundTrips;
      for (let i = 0; i < 50; i++) {
        await reads(a);
        await reads(b);
      }
      expect(fl.f.sqlDb.roundTrips - before).toBe(0);
      // A child's change is seen in the other namenode's listing at once.
      await a.setPermission(who, '/s/f', 0o600);
      expect((await b.getListing(who, '/s', ''))?.entries.find((e) => e.name === 'f')?.permission).toBe(0o600);
      await a.mkdirs(who, '/s/u', 0o755, false);
      expect((await b.getListing(who, '/s', ''))?.entries.map((e) => e.name)).toEqual(['f', 't', 'u']);
      // A create in /s/t touches t's row by its id (mtime, children): the other namenode's cached listing of /s shows the new mtime at once.
      const tBefore = (await b.getListing(who, '/s', ''))?.entries.find((e) => e.name === 't')?.mtime ?? 0;
      await new Promise((r) => setTimeout(r, 5));
      // The summary of the small tree, from the other namenode's cached listings, sees the new directory and file at once.
      await a.create(who, { src: '/s/t/g', masked: 0o644, clientName: 'DFSClient_cost', clientMachine: '127.0.0.1', flags: 1, createParent: false, replication: 1, blockSize: 1 << 20 });
      expect(await b.getContentSummary(who, '/s')).toMatchObject({ fileCount: 2, directoryCount: 3 });
      const tAfter = (await b.getListing(who, '/s', ''))?.entries.find((e) => e.name === 't')?.mtime ?? 0;
      expect(tAfter).toBeGreaterThan(tBefore);
      expect(tAfter).toBe((await fl.f.ns.getFileInfo(who, '/s/t'))?.mtime);
      expect(await a.complete(who, '/s/t/g', 'DFSClient_cost')).toBe(true);
      // Reopened for append: the other namenode's open answers under construction.
      await a.append(who, '/s/f', 'DFSClient_cost2', CreateFlag.APPEND);
      expect((await b.getBlockLocations(who, '/s/f', 0, 1 << 20)).underConstruction).toBe(true);
      expect((await b.getListing(who, '/s', ''))?.entries.find((e) => e.name === 'f')?.underConstruction).toBe(true);
      // A change on one namenode is seen by the other at once.
      await a.setPermission(fl.f.root, '/s/t', 0o701);
      expect((await b.getFileInfo(fl.f.root, '/s/t'))?.permission).toBe(0o701);
      await a.rename(fl.f.root, '/s', '/u');
      expect(await b.getFileInfo(fl.f.root, '/s/t')).toBeUndefined();
      expect((await b.getFileInfo(fl.f.root, '/u/t'))?.permission).toBe(0o701);
    } finally {
      await fl.close();
    }
  });

  test('concurrent writes and reads through both namenodes: the checker finds no stale read', async () => {
    const fl = await fleet('cachelin', true);
    try {
      const { violations, history } = await runWorkload(fl, 7, 150);
      expect(history.reads.length).toBeGreaterThan(300);
      expect(violations.map((v) => `${v.read.what} -> ${v.read.value} (after ${v.supersededBy?.what})`)).toEqual([]);
      expect(fl.caches.every((c) => c.metrics.hits > 0 && c.metrics.invalidationsReceived > 0)).toBe(true);
    } finally {
      await fl.close();
    }
  });

  test('with coherence switched off the same checker finds stale reads', async () => {
    const fl = await fleet('cacheoff', false);
    try {
      const { violations } = await runWorkload(fl, 7, 150);
      console.log(violations.length, violations.slice(0, 3).map((v) => `${v.read.what} -> ${v.read.value} (after ${v.supersededBy?.what})`));
      expect(violations.length).toBeGreaterThan(0);
    } finally {
      await fl.close();
    }
  });

  test('redis killed -9 and restarted under the load: the checker finds nothing, writes wait at most one lease', async () => {
    const fl = await fleet('cachekill', true);
    try {
      const fault = async () => {
        await new Promise((r) => setTimeout(r, 300));
        redis.process().child.kill('SIGKILL');
        await redis.process().exited;
        await new Promise((r) => setTimeout(r, 1.5 * LEASE_MS));
        await redis.restart();
      };
      const { violations } = await runWorkload(fl, 11, 150, fault);
      expect(violations.map((v) => `${v.read.what} -> ${v.read.value} (after ${v.supersededBy?.what})`)).toEqual([]);
      const m = fl.caches.map((c) => c.metrics);
      expect(m.some((x) => x.lapses > 1)).toBe(true);
      console.log(`redis kill: lapses ${m.map((x) => x.lapses).join('/')}, writes that waited out Redis ${m.map((x) => x.redisUnreachableWaits).join('/')}, longest invalidation wait ms ${m.map((x) => x.ackWaitMsMax.toFixed(0)).join('/')} (bound ${LEASE_MS + 100}); joins ${m.map((x) => x.joins).join('/')}, sole-holder writes ${m.map((x) => x.soleHolderWrites).join('/')} (folded ${m.map((x) => x.foldedCommits).join('/')})`);
      // The caches serve again once Redis is back.
      await until('both caches hold a lease again', () => fl.caches.every((c) => c.redis.leaseValid));
    } finally {
      await fl.close();
    }
  });

  test('figures: getFileInfo and create with and without the cache (timings printed; cached getFileInfo sends nothing)', async () => {
    const fl = await fleet('cachefig', true);
    try {
      const plain = fl.f.other();
      const [cached, peer] = fl.nodes as [Namesystem, Namesystem];
      const who = fl.f.root;
      await cached.mkdirs(who, '/fig/a/b/c', 0o755, true);
      await peer.getFileInfo(who, '/fig/a/b/c');
      const pct = (xs: number[], q: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(q * xs.length))] as number;
      const lines: string[] = [];
      for (const [name, ns] of [['without cache', plain], ['with cache (2 namenodes holding leases)', cached]] as const) {
        await ns.getFileInfo(who, '/fig/a/b/c');
        const trips = fl.f.sqlDb.roundTrips;
        const n = 2000;
        const t0 = performance.now();
        await Promise.all(Array.from({ length: 16 }, async () => {
          for (let i = 0; i < n / 16; i++) await ns.getFileInfo(who, '/fig/a/b/c');
        }));
        const secs = (performance.now() - t0) / 1000;
        const statsPerOp = (fl.f.sqlDb.roundTrips - trips) / n;
        if (ns === cached) expect(statsPerOp).toBe(0);
        const creates: number[] = [];
        for (let i = 0; i < 100; i++) {
          const c0 = performance.now();
          await ns.create(who, { src: `/fig/a/b/c/${name.length}-${i}`, masked: 0o644, clientName: 'DFSClient_fig', clientMachine: '127.0.0.1', flags: 1, createParent: false, replication: 1, blockSize: 1024 * 1024 });
          creates.push(performance.now() - c0);
        }
        lines.push(`${name}: getFileInfo depth 4, 16 in flight: ${(n / secs).toFixed(0)} ops/s, ${statsPerOp.toFixed(3)} round trips/op; create p50 ${pct(creates, 0.5).toFixed(2)} ms p99 ${pct(creates, 0.99).toFixed(2)} ms`);
      }
      console.log(lines.join('\n'));
    } finally {
      await fl.close();
    }
  });

  test('a Sentinel failover under the load (master killed -9, replica promoted): the checker finds nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnfleet-sentinel-'));
    const sentinel = await startSentinelRedis(dir);
    const fl = await fleet('cachesentinel', true, { sentinels: [{ host: '127.0.0.1', port: sentinel.sentinelPort }], sentinelName: sentinel.name });
    try {
      const fault = async () => {
        await new Promise((r) => setTimeout(r, 300));
        sentinel.master().child.kill('SIGKILL');
        await sentinel.master().exited;
      };
      const { violations } = await runWorkload(fl, 13, 150, fault);
      expect(violations.map((v) => `${v.read.what} -> ${v.read.value} (after ${v.supersededBy?.what})`)).toEqual([]);
      await until('both caches hold a lease on the promoted replica', () => fl.caches.every((c) => c.redis.leaseValid), 30_000);
      const m = fl.caches.map((c) => c.metrics);
      console.log(`sentinel failover: lapses ${m.map((x) => x.lapses).join('/')}, writes that waited out Redis ${m.map((x) => x.redisUnreachableWaits).join('/')}, longest invalidation wait ms ${m.map((x) => x.ackWaitMsMax.toFixed(0)).join('/')}`);
    } finally {
      await fl.close();
      await sentinel.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
