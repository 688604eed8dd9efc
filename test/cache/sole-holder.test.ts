import pino from 'pino';
import { CoherentRows } from '../../namenode/cache/coherent-rows';
import { CreateFlag } from '../../namenode/ops/create';
import { ROOT_INODE_ID } from '../../schema/tables';
import { writeFence } from '../../namenode/tx/write-fence';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import type { Namesystem } from '../../namenode/namesystem';
import { CacheWorkload } from '../harness/cache-workload';
import { until } from '../harness/eventually';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';
import { redisForSuite } from '../harness/redis-server';
import { staleReads } from '../harness/stale-read-checker';

/**
 * The sole-holder shortcut of the coherent cache (namenode/cache/README.md,
 * *Sole holder*): a namenode that knows of no other lease holder publishes
 * nothing and commits in its write round trip; a namenode that joins is
 * known to every holder, and waits for their writes in flight, before its
 * lease counts.
 */
const LEASE_MS = 1000;
const logger = pino({ level: process.env['NNFLEET_LOG_LEVEL'] ?? 'silent' });

const redis = redisForSuite();

const cacheOf = (f: NamesystemFixture, prefix: string): CoherentRows =>
  new CoherentRows({ endpoint: { url: redis().url }, prefix, maxBytes: 1 << 20, leaseMs: LEASE_MS, marginMs: 100, coherent: true, logger, fence: writeFence(f.sqlDb, sqlRepositories.namespace) });

/** A fixture and one namenode's cache, started and alone (past its probation). */
async function lone(prefix: string): Promise<{ f: NamesystemFixture; a: CoherentRows }> {
  const f = await namesystemFixture(prefix);
  const a = cacheOf(f, `${prefix}:`);
  await a.start();
  await until('the namenode is the sole holder', () => a.redis.soleHolder);
  return { f, a };
}

/** `work` on a lone namenode's namesystem (with `create`, an empty file of one client), then the cache and fixture closed. */
async function withLone(prefix: string, work: (t: { f: NamesystemFixture; a: CoherentRows; ns: Namesystem; create: (src: string) => Promise<unknown> }) => Promise<void>): Promise<void> {
  const { f, a } = await lone(prefix);
  try {
    const ns = f.other(a);
    const create = (src: string) => ns.create(f.root, { src, masked: 0o644, clientName: CLIENT, clientMachine: '127.0.0.1', flags: CreateFlag.CREATE, createParent: false, replication: 1, blockSize: 1 << 20 });
    await work({ f, a, ns, create });
  } finally {
    await a.stop();
    await f.close();
  }
}

const CLIENT = 'DFSClient_lone';

const describeViolations = (vs: ReturnType<typeof staleReads>) => vs.map((v) => `${v.read.what} -> ${v.read.value} (after ${v.supersededBy?.what})`);

describe('coherent cache: the sole lease holder', () => {
  test('a lone namenode publishes nothing, commits in its write round trip, and its own cache sees its writes', async () => {
    await withLone('solelone', async ({ f, a, ns }) => {
      const who = f.root;
      await ns.mkdirs(who, '/p/q', 0o755, true);
      expect((await ns.getFileInfo(who, '/p/q'))?.permission).toBe(0o755);
      await ns.setPermission(who, '/p/q', 0o700);
      expect((await ns.getFileInfo(who, '/p/q'))?.permission).toBe(0o700);
      await ns.mkdirs(who, '/p/r', 0o755, false);
      expect((await ns.getListing(who, '/p', ''))?.entries.map((e) => e.name)).toEqual(['q', 'r']);
      await ns.mkdirs(who, '/p/s', 0o755, false);
      expect((await ns.getListing(who, '/p', ''))?.entries.map((e) => e.name)).toEqual(['q', 'r', 's']);
      expect(a.metrics.invalidationsSent).toBe(0);
      expect(a.metrics.foldedCommits).toBeGreaterThan(0);
    });
  });

  test("a lone namenode keeps the rows its writes changed, read back under the writes' locks: the parent's count and mtime, the completed file", async () => {
    await withLone('solekeep', async ({ f, a, ns, create }) => {
      const who = f.root;
      await ns.mkdirs(who, '/k', 0o755, true);
      await ns.getFileInfo(who, '/k');
      const kept = a.metrics.writerInstalls;
      await create('/k/f');
      expect(await ns.complete(who, '/k/f', CLIENT)).toBe(true);
      // Twelve at once, through group commit: one transaction (or a few) touching /k, each member's file completed after.
      await Promise.all(Array.from({ length: 12 }, (_, i) => create(`/k/g${i}`)));
      await Promise.all(Array.from({ length: 12 }, (_, i) => ns.complete(who, `/k/g${i}`, CLIENT)));
      expect(a.metrics.writerInstalls).toBeGreaterThan(kept);
      const trips = f.sqlDb.roundTrips;
      const fromMemory = [await ns.getFileInfo(who, '/k'), await ns.getFileInfo(who, '/k/f'), await ns.getFileInfo(who, '/k/g7')];
      expect(f.sqlDb.roundTrips).toBe(trips);
      // What memory answered is what the database holds.
      expect(fromMemory).toEqual([await f.ns.getFileInfo(who, '/k'), await f.ns.getFileInfo(who, '/k/f'), await f.ns.getFileInfo(who, '/k/g7')]);
      const [[stored]] = (await f.pool.query('SELECT children, mtime FROM inodes WHERE parent_id = ? AND name = ?', [ROOT_INODE_ID, 'k'])) as unknown as [[{ children: number; mtime: number }]];
      const cached = a.rows.get(`${ROOT_INODE_ID}/k`);
      expect([cached?.children, cached?.mtime]).toEqual([13, Number(stored.mtime)]);
      expect(stored.children).toBe(13);
    });
  });

  test('a lone namenode keeps the listings its writes dropped, patched with what they changed: creates, completes, renames, deletes', async () => {
    await withLone('solelist', async ({ f, a, ns, create }) => {
      const who = f.root;
      const listing = async (n: Namesystem, dir: string) => (await n.getListing(who, dir, ''))?.entries.map((e) => `${e.name}:${e.fileId}:${e.length}:${e.mtime}:${e.underConstruction}:${e.childrenNum ?? ''}`);
      await ns.mkdirs(who, '/l/d', 0o755, true);
      await create('/l/x');
      await ns.complete(who, '/l/x', CLIENT);
      const steps: [string, () => Promise<unknown>][] = [
        ['create', () => create('/l/b')],
        ['complete', () => ns.complete(who, '/l/b', CLIENT)],
        ['create into the subdirectory', () => create('/l/d/inner')],
        ['rename within', () => ns.rename2(who, '/l/x', '/l/y', false)],
        ['rename out', () => ns.rename2(who, '/l/b', '/l/d/b', false)],
        ['delete', () => ns.delete(who, '/l/y', false)],
        ['twelve at once', () => Promise.all(Array.from({ length: 12 }, (_, i) => create(`/l/g${i}`)))],
      ];
      for (const [what, step] of steps) {
        // Both listings cached first: the step's write drops them, and keeps them patched.
        await listing(ns, '/l');
        await listing(ns, '/l/d');
        const patched = a.metrics.writerListings;
        await step();
        expect([what, a.metrics.writerListings > patched]).toEqual([what, true]);
        const trips = f.sqlDb.roundTrips;
        const fromMemory = [await listing(ns, '/l'), await listing(ns, '/l/d')];
        expect([what, f.sqlDb.roundTrips - trips]).toEqual([what, 0]);
        expect([what, fromMemory]).toEqual([what, [await listing(f.ns, '/l'), await listing(f.ns, '/l/d')]]);
      }
    });
  });

  test('a namenode joining waits, before its lease counts, for the writes in flight that share-locked the safe-mode row', async () => {
    const { f, a } = await lone('solefence');
    const b = cacheOf(f, 'solefence:');
    try {
      // A write of the lone namenode between its lock round trip and its COMMIT, as the fence sees it.
      let finish = () => {};
      const inFlight = new Promise<void>((resolve) => (finish = resolve));
      let locked = () => {};
      const holding = new Promise<void>((resolve) => (locked = resolve));
      const write = f.sqlDb.transaction(async (tx) => {
        await tx.run(sqlRepositories.namespace.findSafeMode('shared'));
        locked();
        await inFlight;
        await tx.commit([]);
      });
      await holding;
      const joined = b.start();
      await until('the lone namenode knows of the joiner', () => !a.redis.soleHolder && a.redis.otherHolders === 1);
      // Several renewals of the joiner: without the fence its lease would count after the first.
      const renewals = b.metrics.joins;
      await new Promise((r) => setTimeout(r, LEASE_MS));
      expect(b.redis.leaseValid).toBe(false);
      expect(b.metrics.joins).toBe(renewals);
      finish();
      await write;
      await joined;
      await until('the joiner holds its lease once the write committed', () => b.redis.leaseValid);
      expect(b.metrics.joins).toBeGreaterThan(0);
      expect(a.metrics.joinsAcked).toBeGreaterThan(0);
    } finally {
      await b.stop();
      await a.stop();
      await f.close();
    }
  });

  test('namenodes joining and leaving while a lone namenode writes: the checker finds no stale read', async () => {
    const { f, a } = await lone('solejoin');
    try {
      const nsA = f.other(a);
      const w = new CacheWorkload(23);
      await w.setUp(nsA, f.root);
      let joining = true;
      const writers = [0, 1, 2].map(async () => {
        while (joining) await w.client(nsA, f.root, 10);
      });
      let folded = 0;
      for (let i = 0; i < 6; i++) {
        await until('the writer is alone again', () => a.redis.soleHolder);
        const before = a.metrics.foldedCommits;
        await until('the lone writer commits in its write round trip', () => a.metrics.foldedCommits > before);
        folded += a.metrics.foldedCommits - before;
        const b = cacheOf(f, 'solejoin:');
        await b.start();
        await until('the joiner holds its lease', () => b.redis.leaseValid);
        const nsB = f.other(b);
        await Promise.all([w.client(nsB, f.root, 40), w.client(nsB, f.root, 40)]);
        await b.stop();
      }
      joining = false;
      await Promise.all(writers);
      const violations = staleReads(w.history.writes, w.history.reads);
      console.log(
        `sole holder with joins: ${w.history.reads.length} reads, ${violations.length} stale; writes that published nothing ${a.metrics.soleHolderWrites} (folded ${a.metrics.foldedCommits}), invalidations sent ${a.metrics.invalidationsSent}, joins acked ${a.metrics.joinsAcked}`,
      );
      expect(folded).toBeGreaterThan(0);
      expect(a.metrics.joinsAcked).toBeGreaterThanOrEqual(6);
      expect(describeViolations(violations)).toEqual([]);
    } finally {
      await a.stop();
      await f.close();
    }
  });
});
