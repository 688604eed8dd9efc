import pino from 'pino';
import { CoherentRows } from '../../namenode/cache/coherent-rows';
import type { RedisEndpoint } from '../../namenode/cache/redis-coherence';
import { writeFence } from '../../namenode/tx/write-fence';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import type { Namesystem } from '../../namenode/namesystem';
import { CacheWorkload } from './cache-workload';
import { until } from './eventually';
import { namesystemFixture, type NamesystemFixture } from './namesystem-fixture';
import { staleReads } from './stale-read-checker';

/**
 * Two namenodes (namesystems with their own coherent caches) on one
 * database and one Redis, and the checked workload of
 * test/cache/coherent-cache.test.ts (also run by the kill-storm soak,
 * test/soak/cache-kill-storm.soak.ts).
 */
export const LEASE_MS = 1000;
const logger = pino({ level: process.env['NNFLEET_LOG_LEVEL'] ?? 'silent' });

export interface Fleet {
  readonly f: NamesystemFixture;
  readonly caches: CoherentRows[];
  readonly nodes: Namesystem[];
  readonly coherent: boolean;
  close(): Promise<void>;
}

/** Two namenodes (namesystems with their own caches) on one database and one Redis. */
export async function cacheFleet(prefix: string, coherent: boolean, endpoint: RedisEndpoint): Promise<Fleet> {
  const f = await namesystemFixture(prefix);
  const caches = [0, 1].map(
    () => new CoherentRows({ endpoint, prefix: `${prefix}:`, maxBytes: 1 << 20, leaseMs: LEASE_MS, marginMs: 100, coherent, logger, fence: writeFence(f.sqlDb, sqlRepositories.namespace) }),
  );
  await Promise.all(caches.map((c) => c.start()));
  await until('both caches hold a lease', () => caches.every((c) => c.redis.leaseValid));
  const nodes = caches.map((c) => f.other(c));
  return {
    f,
    caches,
    nodes,
    coherent,
    close: async () => {
      await Promise.all(caches.map((c) => c.stop()));
      await f.close();
    },
  };
}

const countBy = (xs: readonly string[]): Map<string, number> => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());

/** Three clients on each namenode against the same paths (getFileInfo, getListing, getBlockLocations, getXAttrs reads); the history checked. */
export async function runWorkload(fl: Fleet, seed: number, opsPerClient: number, during?: () => Promise<void>) {
  const w = new CacheWorkload(seed);
  await w.setUp(fl.nodes[0] as Namesystem, fl.f.root);
  const clients = [0, 1, 2, 3, 4, 5].map((i) => w.client(fl.nodes[i % 2] as Namesystem, fl.f.root, opsPerClient));
  await Promise.all([...clients, during?.()]);
  const violations = staleReads(w.history.writes, w.history.reads);
  const m = fl.caches.map((c) => c.metrics);
  console.log(
    `workload seed ${seed}: ${w.history.reads.length} reads, ${new Set(w.history.writes.map((x) => `${x.what}@${x.inv}`)).size} writes, ${violations.length} stale reads; ` +
      `cache hits ${m.map((x) => x.hits).join('/')}, misses ${m.map((x) => x.misses).join('/')}, invalidations sent ${m.map((x) => x.invalidationsSent).join('/')}, ` +
      `received ${m.map((x) => x.invalidationsReceived).join('/')}, stale-install refusals ${m.map((x) => x.staleInstallRefusals).join('/')}, rereads ${m.map((x) => x.rereads).join('/')}, ` +
      `ack wait max ms ${m.map((x) => x.ackWaitMsMax.toFixed(1)).join('/')}; ` +
      `block entries hits ${m.map((x) => x.entries.blocks.hits).join('/')} misses ${m.map((x) => x.entries.blocks.misses).join('/')}, ` +
      `listings hits ${m.map((x) => x.entries.listing.hits).join('/')} misses ${m.map((x) => x.entries.listing.misses).join('/')}; ` +
      `reads by kind ${[...countBy(w.history.reads.map((r) => r.what.split(' ')[0] as string))].map(([k, n]) => `${k} ${n}`).join(', ')}`,
  );
  // A violation is printed with its register's whole history (times in ms from the first event) and each cache's lease counters.
  if (violations.length > 0 && fl.coherent) {
    const t0 = Math.min(...w.history.writes.map((x) => x.inv), ...w.history.reads.map((x) => x.inv));
    const at = (x: { inv: number; resp: number }) => `${(x.inv - t0).toFixed(1)}..${(x.resp - t0).toFixed(1)}`;
    for (const v of violations.slice(0, 3)) {
      const reg = v.read.register;
      const events = [
        ...w.history.writes.filter((x) => x.register === reg).map((x) => ({ ...x, line: `W ${at(x)} ${x.what} -> ${JSON.stringify(x.effect)}` })),
        ...w.history.reads.filter((x) => x.register === reg).map((x) => ({ ...x, line: `R ${at(x)} ${x.what} = ${x.value}${x === v.read ? '   <== stale' : ''}` })),
      ].sort((x, y) => x.inv - y.inv);
      console.log(`history of ${reg}:\n${events.map((e) => e.line).join('\n')}`);
    }
    console.log(`lease counters: ${JSON.stringify(m.map((x) => ({ lapses: x.lapses, joins: x.joins, joinsAcked: x.joinsAcked, sole: x.soleHolderWrites, folded: x.foldedCommits, unreachable: x.redisUnreachableWaits, waitedOut: x.leasesWaitedOut, bypasses: x.bypasses })))}`);
  }
  return { violations, history: w.history };
}
