import pino from 'pino';
import { CoherentRows } from '../../namenode/cache/coherent-rows';
import { writeFence } from '../../namenode/tx/write-fence';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { until } from '../harness/eventually';
import { namesystemFixture } from '../harness/namesystem-fixture';
import { redisForSuite } from '../harness/redis-server';
import { subscriberHoldingProxy } from '../harness/subscriber-holding-proxy';

/**
 * A holder whose invalidations are late while its lease renewals are
 * answered (namenode/cache/README.md, *Lease*: the renewal's mark). The
 * writer waits out the holder's lease as Redis knew it and commits; the
 * holder's later renewals must not extend a lease under which it would
 * still serve the row the write replaced. Without the mark it did: the
 * renewal's answer and the invalidation travel on two connections, and
 * nothing made the invalidation come first.
 */
const LEASE_MS = 1000;
const logger = pino({ level: process.env['NNFLEET_LOG_LEVEL'] ?? 'silent' });
const redis = redisForSuite();

test('a holder whose subscriber lags behind its renewals stops serving before the write it did not hear of commits', async () => {
  const f = await namesystemFixture('lateinval');
  const proxy = await subscriberHoldingProxy(redis().port);
  const cache = (url: string) =>
    new CoherentRows({ endpoint: { url }, prefix: 'lateinval:', maxBytes: 1 << 20, leaseMs: LEASE_MS, marginMs: 100, coherent: true, logger, fence: writeFence(f.sqlDb, sqlRepositories.namespace) });
  const [ca, cb] = [cache(redis().url), cache(proxy.url)];
  try {
    await Promise.all([ca.start(), cb.start()]);
    await until('both hold a lease and know each other', () => ca.redis.leaseValid && cb.redis.leaseValid && ca.redis.otherHolders === 1 && cb.redis.otherHolders === 1);
    const [a, b] = [f.other(ca), f.other(cb)];
    const who = f.root;
    await a.mkdirs(who, '/late/d', 0o755, true);
    expect((await b.getFileInfo(who, '/late/d'))?.permission).toBe(0o755);
    const hits = cb.metrics.hits;
    expect((await b.getFileInfo(who, '/late/d'))?.permission).toBe(0o755);
    expect(cb.metrics.hits).toBeGreaterThan(hits);

    proxy.hold();
    const t0 = performance.now();
    await a.setPermission(who, '/late/d', 0o700);
    const waited = performance.now() - t0;
    // B never acked (its copy of the message is held): A waited B's lease out.
    expect(ca.metrics.leasesWaitedOut).toBeGreaterThan(0);
    // B's renewals were answered meanwhile; the write is committed and acknowledged: B must not answer the old row.
    const seen: number[] = [];
    for (let i = 0; i < 20; i++) {
      seen.push((await b.getFileInfo(who, '/late/d'))?.permission ?? -1);
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`write waited ${waited.toFixed(0)} ms; B's renewal marks missed ${cb.metrics.marksMissed}, lease valid ${cb.redis.leaseValid}`);
    expect(seen.every((p) => p === 0o700)).toBe(true);
    expect(cb.metrics.marksMissed).toBeGreaterThan(0);

    proxy.release();
    await until('B holds a lease again', () => cb.redis.leaseValid, 10_000);
    expect((await b.getFileInfo(who, '/late/d'))?.permission).toBe(0o700);
  } finally {
    await Promise.all([ca.stop(), cb.stop()]);
    await proxy.close();
    await f.close();
  }
});
