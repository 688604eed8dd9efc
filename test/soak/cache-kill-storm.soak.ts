import { cacheFleet, runWorkload } from '../harness/cache-fleet';
import { startRedis, type RedisFixture } from '../harness/redis-server';

/**
 * Soak (npm run soak:cache, not part of npm test): the coherent cache's
 * checked workload on two namenodes, 300 operations per client, while
 * Redis is killed -9 and restarted three times at random moments and the
 * process stalls its event loop for 0.3 to 1.2 s now and then (as a loaded
 * machine or a GC pause does: leases lapse and are joined again). The
 * stale-read checker must find nothing. Found the getXAttrs read that
 * answered "no xattrs" for a file deleted between its resolution and its
 * xattrs read (1 of 6 seeds before the fix).
 */
let redis: RedisFixture;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

const seeds = (process.env['SOAK_SEEDS'] ?? '11,12,13,14,15,16').split(',').map(Number);

describe('coherent cache under Redis kills and event-loop stalls', () => {
  for (const seed of seeds) {
    test(`seed ${seed}: the checker finds no stale read`, async () => {
      const fl = await cacheFleet(`storm${seed}`, true, { url: redis.url });
      try {
        let stop = false;
        const stalls = (async () => {
          while (!stop) {
            await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
            if (Math.random() < 0.3) {
              const until = performance.now() + 300 + Math.random() * 900;
              while (performance.now() < until) {
                // a stalled event loop
              }
            }
          }
        })();
        const kills = async () => {
          for (let k = 0; k < 3; k++) {
            await new Promise((r) => setTimeout(r, 300 + Math.random() * 500));
            redis.process().child.kill('SIGKILL');
            await redis.process().exited;
            await new Promise((r) => setTimeout(r, Math.random() * 2000));
            await redis.restart();
          }
        };
        const { violations } = await runWorkload(fl, seed, 300, kills);
        stop = true;
        await stalls;
        const m = fl.caches.map((c) => c.metrics);
        console.log(`seed ${seed}: lapses ${m.map((x) => x.lapses).join('/')}, joins ${m.map((x) => x.joins).join('/')}, sole-holder writes ${m.map((x) => x.soleHolderWrites).join('/')}`);
        expect(violations.map((v) => `${v.read.what} -> ${v.read.value} (after ${v.supersededBy?.what})`)).toEqual([]);
      } finally {
        await fl.close();
      }
    }, 300_000);
  }
});
