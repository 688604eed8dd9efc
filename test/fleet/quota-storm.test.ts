import { hadoop } from '../../protocol/generated/hadoop';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { fsck } from '../../namenode/fsck/fsck';
import { SqlDb } from '../../namenode/dal/sql/sql-db';
import type { SqlPool } from '../../namenode/dal/sql/sql-session';
import { createMysqlPool } from '../../schema/mysql-config';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

/**
 * Exact quotas under a storm: three namenodes on one database, twelve
 * clients creating, making directories, deleting and moving entries in and
 * out of their own directories under one quota root, often against its
 * namespace quota; then all of them filling it. The root's counted usage
 * must equal a recount of the tree, and the tree must hold exactly the
 * quota: never more (no overshoot), never less (no refusal while room was
 * left).
 */

const H = hadoop.hdfs;
const NS = 'org.apache.hadoop.hdfs.protocol.NSQuotaExceededException';
const QUOTA = 400;
const WORKERS = 12;

let f: NamenodeFixture;
const clients: NamenodeClient[] = [];

beforeAll(async () => {
  f = await namenodeFixture('qstorm');
  const others = [await f.another(), await f.another()];
  const ports = [f.namenode.rpcPort, ...others.map((o) => o.rpcPort)];
  const counter = new RpcCounter();
  for (let w = 0; w < WORKERS; w++) clients.push(await NamenodeClient.connect(`127.0.0.1:${ports[w % ports.length] as number}`, f.superuser, `DFSClient_storm_${w}`, counter));
}, 90_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await f?.close();
});

const classOf = (e: unknown): string => (e as { className?: string }).className ?? String(e);

const quotaUsage = async (c: NamenodeClient, path: string) => {
  const u = (await c.ipc.call('getQuotaUsage', H.GetQuotaUsageRequestProto, { path }, H.GetQuotaUsageResponseProto)).usage;
  return Number(u.fileAndDirectoryCount);
};
const recount = async (c: NamenodeClient, path: string) => {
  const s = await c.getContentSummary(path);
  return Number(s?.fileCount ?? 0) + Number(s?.directoryCount ?? 0);
};

test('usage stays exact and the quota is never passed under a storm of creates, deletes and moves from three namenodes', async () => {
  const admin = clients[0] as NamenodeClient;
  for (let w = 0; w < WORKERS; w++) await admin.mkdirs(`/storm/w${w}`);
  await admin.mkdirs('/outside');
  await admin.setQuota('/storm', QUOTA, -1);
  expect(await quotaUsage(admin, '/storm')).toBe(1 + WORKERS);

  const outcomes = { done: 0, refused: 0 };
  const random = (n: number) => Math.floor(Math.random() * n);
  const attempt = async (op: () => Promise<unknown>): Promise<boolean> => {
    try {
      await op();
      outcomes.done++;
      return true;
    } catch (e) {
      if (classOf(e) !== NS) throw e;
      outcomes.refused++;
      return false;
    }
  };
  const started = performance.now();
  await Promise.all(
    clients.map(async (c, w) => {
      const mine: string[] = [];
      let n = 0;
      for (let i = 0; i < 80; i++) {
        const roll = random(100);
        const name = `/storm/w${w}/e${n++}`;
        if (roll < 50) {
          if (await attempt(async () => (await c.create(name, { replication: 1 }), await c.complete(name)))) mine.push(name);
        } else if (roll < 62) {
          if (await attempt(() => c.mkdirs(`${name}/sub`))) mine.push(name);
        } else if (roll < 85 && mine.length > 0) {
          const victim = mine.splice(random(mine.length), 1)[0] as string;
          expect(await c.delete(victim, true)).toBe(true);
        } else if (roll < 93 && mine.length > 0) {
          // Out of the quota root and back in: the way back is checked.
          const moved = mine.splice(random(mine.length), 1)[0] as string;
          const away = `/outside/w${w}-${n}`;
          expect(await c.rename(moved, away)).toBe(true);
          if (await attempt(() => c.ipc.call('rename2', H.Rename2RequestProto, { src: away, dst: name, overwriteDest: false }, H.Rename2ResponseProto))) mine.push(name);
        } else if (mine.length > 0) {
          // Between two workers' directories under the same root: no change of usage.
          const moved = mine.splice(random(mine.length), 1)[0] as string;
          const to = `/storm/w${(w + 1) % WORKERS}/from${w}-${n}`;
          expect(await c.rename(moved, to)).toBe(true);
        }
      }
    }),
  );
  const stormSeconds = (performance.now() - started) / 1000;
  const afterStorm = await recount(clients[1] as NamenodeClient, '/storm');
  expect(await quotaUsage(clients[2] as NamenodeClient, '/storm')).toBe(afterStorm);
  expect(afterStorm).toBeLessThanOrEqual(QUOTA);

  // Everyone fills what is left until refused three times running.
  await Promise.all(
    clients.map(async (c, w) => {
      let refusedInARow = 0;
      for (let n = 0; refusedInARow < 3; n++) {
        const name = `/storm/w${w}/fill${n}`;
        refusedInARow = (await attempt(async () => (await c.create(name, { replication: 1 }), await c.complete(name)))) ? 0 : refusedInARow + 1;
      }
    }),
  );
  const filled = await recount(clients[1] as NamenodeClient, '/storm');
  process.stdout.write(
    `quota storm: ${outcomes.done} operations done, ${outcomes.refused} refused with NSQuotaExceededException; storm ${stormSeconds.toFixed(1)} s; ${afterStorm} entries after it, ${filled} after the fill (quota ${QUOTA})\n`,
  );
  expect(outcomes.refused).toBeGreaterThan(0);
  expect(filled).toBe(QUOTA);
  expect(await quotaUsage(clients[2] as NamenodeClient, '/storm')).toBe(QUOTA);
  const pool = createMysqlPool(f.db.config, { connectionLimit: 2 }) as unknown as SqlPool;
  try {
    expect((await fsck(new SqlDb(pool), sqlRepositories.fsck)).problems).toEqual([]);
  } finally {
    await pool.end();
  }
}, 240_000);
