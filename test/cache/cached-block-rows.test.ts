import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { declareDead } from '../../namenode/blocks/declare-dead';
import { CoherentRows } from '../../namenode/cache/coherent-rows';
import { ReplicaEvent } from '../../namenode/domain/datanode-messages';
import type { LocatedBlocks } from '../../namenode/domain/located-blocks';
import type { Namesystem } from '../../namenode/namesystem';
import { until } from '../harness/eventually';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';
import { startRedis, type RedisFixture } from '../harness/redis-server';

/**
 * getBlockLocations of a closed file served from the coherent cache on two
 * namenodes, with datanodes registered in-process: every change of its
 * replica rows made through either namenode (an incremental report's
 * deletion, a full report that no longer lists a copy, a datanode declared
 * dead, re-registered, decommissioned) is seen by the other namenode's next
 * open, and a steady open sends nothing to the database.
 */
const LEASE_MS = 1000;
const logger = pino({ level: process.env['NNFLEET_LOG_LEVEL'] ?? 'silent' });
const STATS = { capacity: 1e12, dfsUsed: 0, remaining: 1e12, blockPoolUsed: 0, nonDfsUsed: 0, xceiverCount: 0 };
const storageOf = (uuid: string) => `DS-${uuid}`;
const dns = Array.from({ length: 3 }, () => randomUUID());

let redis: RedisFixture;
let f: NamesystemFixture;
let caches: CoherentRows[];
let a: Namesystem;
let b: Namesystem;

const where = (lb: LocatedBlocks): string[][] => lb.blocks.map((x) => x.locations.map((l) => l.datanode.uuid).sort());
const open = (ns: Namesystem, src: string) => ns.getBlockLocations(f.root, src, 0, 1 << 30);

beforeAll(async () => {
  redis = await startRedis();
  f = await namesystemFixture('cacheblocks', { replicaReportWaitMs: 10_000 });
  caches = [0, 1].map(() => new CoherentRows({ endpoint: { url: redis.url }, prefix: 'cacheblocks:', maxBytes: 1 << 20, leaseMs: LEASE_MS, marginMs: 100, coherent: true, logger }));
  await Promise.all(caches.map((c) => c.start()));
  await until('both caches hold a lease', () => caches.every((c) => c.redis.leaseValid));
  [a, b] = caches.map((c) => f.other(c)) as [Namesystem, Namesystem];
  for (const [i, uuid] of dns.entries()) await registerOn(a, uuid, i);
}, 60_000);

afterAll(async () => {
  await Promise.all(caches.map((c) => c.stop()));
  await f.close();
  await redis.stop();
});

async function registerOn(ns: Namesystem, uuid: string, i: number): Promise<void> {
  await ns.datanodes.register({ uuid, ipAddr: `10.2.0.${i + 1}`, hostName: `dn${i}`, xferPort: 9866, infoPort: 9864, ipcPort: 9867 });
  await ns.datanodes.heartbeat(uuid, STATS, [{ storageId: storageOf(uuid), storageType: 1, capacity: 1e12, dfsUsed: 0, remaining: 1e12 }]);
}

/** A closed one-block file written through `a`, its block on every datanode. */
async function closedFile(src: string): Promise<number> {
  const client = `DFSClient_${src}`;
  await a.create(f.root, { src, masked: 0o644, clientName: client, clientMachine: 'm', flags: 1, createParent: true, replication: 3, blockSize: 1 << 20 });
  const lb = await a.addBlock(f.root, { src, clientName: client, previous: undefined, exclude: [], favored: [], writer: '' });
  for (const uuid of dns) await a.datanodes.replicasChanged(uuid, [{ blockId: lb.block.blockId, genStamp: lb.block.genStamp, numBytes: 4096, finalized: true, storageId: storageOf(uuid), event: ReplicaEvent.Received }]);
  expect(await a.complete(f.root, src, client, { blockId: lb.block.blockId, genStamp: lb.block.genStamp, numBytes: 4096 })).toBe(true);
  return lb.block.blockId;
}

test('a steady open of a closed file costs no statement; replica changes through the other namenode are seen at once', async () => {
  const blockId = await closedFile('/blocks/f');
  await open(a, '/blocks/f');
  await open(b, '/blocks/f');
  const before = f.sqlDb.roundTrips;
  for (let i = 0; i < 50; i++) {
    expect(where(await open(a, '/blocks/f'))).toEqual([[...dns].sort()]);
    expect(where(await open(b, '/blocks/f'))).toEqual([[...dns].sort()]);
  }
  expect(f.sqlDb.roundTrips - before).toBe(0);
  expect(caches.every((c) => c.metrics.entries.blocks.hits >= 50)).toBe(true);

  // An incremental report through A deletes one copy: B's next open no longer names it.
  const [d0, d1, d2] = dns as [string, string, string];
  await a.datanodes.replicasChanged(d0, [{ blockId, genStamp: 0, numBytes: 0, finalized: false, storageId: storageOf(d0), event: ReplicaEvent.Deleted }]);
  expect(where(await open(b, '/blocks/f'))).toEqual([[d1, d2].sort()]);

  // A full report through B that no longer lists the copy on d1: A's next open drops it.
  await open(a, '/blocks/f');
  await b.datanodes.fullReport(d1, storageOf(d1), []);
  expect(where(await open(a, '/blocks/f'))).toEqual([[d2]]);

  // The copy comes back (incremental report through B): A sees it.
  const gs = (await open(a, '/blocks/f')).blocks[0]?.block.genStamp ?? 0;
  await b.datanodes.replicasChanged(d1, [{ blockId, genStamp: gs, numBytes: 4096, finalized: true, storageId: storageOf(d1), event: ReplicaEvent.Received }]);
  expect(where(await open(a, '/blocks/f'))).toEqual([[d1, d2].sort()]);
});

test('a datanode declared dead through one namenode disappears from the other one\'s cached answer, and stays gone when it registers again', async () => {
  await closedFile('/blocks/g');
  const [, , d2] = dns as [string, string, string];
  await open(a, '/blocks/g');
  await open(b, '/blocks/g');
  expect(where(await open(b, '/blocks/g'))[0]).toContain(d2);
  expect(await declareDead(a.context, 'test.declareDead', d2, Date.now() + 1)).toBe(true);
  expect(where(await open(b, '/blocks/g'))[0]).not.toContain(d2);
  await open(b, '/blocks/g');
  // Registered again (through B): its replica rows were dropped with its death, so no cached copy comes back.
  await registerOn(b, d2, 2);
  expect(where(await open(a, '/blocks/g'))[0]).not.toContain(d2);
  expect(where(await open(b, '/blocks/g'))[0]).not.toContain(d2);
  console.log(`block entries: hits ${caches.map((c) => c.metrics.entries.blocks.hits).join('/')}, misses ${caches.map((c) => c.metrics.entries.blocks.misses).join('/')}; datanode entries: hits ${caches.map((c) => c.metrics.entries.datanode.hits).join('/')}, misses ${caches.map((c) => c.metrics.entries.datanode.misses).join('/')}; invalidations received ${caches.map((c) => c.metrics.invalidationsReceived).join('/')}`);
});
