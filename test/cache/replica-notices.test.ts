import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { DtpFileDataClient } from '../../loadgen/data/dtp-file-data-client';
import { patternBytes } from '../../loadgen/data/file-pattern';
import { fixedLengthSource, writeBlock } from '../../protocol/client/block-writer';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { DatanodeProcesses } from '../harness/datanode-process';
import { eventually, until } from '../harness/eventually';
import { hdfs, stdoutOf } from '../harness/go-hdfs';
import { startNamenodeProcess, type NamenodeProcess } from '../harness/namenode-process';
import { startRedis, type RedisFixture } from '../harness/redis-server';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';

const USER = userInfo().username;
const SMALL = 4096;
const data = new DtpFileDataClient({ blockSize: 1 << 20, replication: 1 });

/** A namenode's gauge; undefined when it does not export it (that part is switched off). */
const metric = async (nn: NamenodeProcess, name: string): Promise<number | undefined> => {
  const text = await (await fetch(`http://127.0.0.1:${nn.httpPort}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
};
const gauge = async (nn: NamenodeProcess, name: string): Promise<number> => (await metric(nn, name)) ?? 0;

const WAKE_GAUGES = ['woken_by_report', 'woken_by_notice', 'poll_timeouts'] as const;
const wakes = async (nn: NamenodeProcess): Promise<Record<(typeof WAKE_GAUGES)[number], number>> => ({
  woken_by_report: await gauge(nn, 'nnfleet_replica_waiters_woken_by_report'),
  woken_by_notice: await gauge(nn, 'nnfleet_replica_waiters_woken_by_notice'),
  poll_timeouts: await gauge(nn, 'nnfleet_replica_waiter_poll_timeouts'),
});

/**
 * Two namenode processes on one database and one Redis, and one datanode
 * process that reports to namenode B only. Clients write through namenode
 * A: every complete on A waits for a report that B takes.
 */
interface Pair {
  readonly a: NamenodeProcess;
  readonly b: NamenodeProcess;
  readonly client: NamenodeClient;
  stop(): Promise<void>;
}

describe('replica-arrived notices across two namenodes over Redis', () => {
  let db: TestDatabase;
  let redis: RedisFixture;
  let work: string;
  let pairs = 0;

  beforeAll(async () => {
    db = await createTestDatabase('replnotice');
    redis = await startRedis();
    work = mkdtempSync(join(tmpdir(), 'replnotice-'));
  });

  afterAll(async () => {
    await redis?.stop();
    await db?.drop();
    rmSync(work, { recursive: true, force: true });
  });

  async function pair(defines: readonly string[]): Promise<Pair> {
    const tag = `p${++pairs}`;
    const flags = ['--superuser', USER, ...[`redisUrl=${redis.url}`, 'cacheLeaseMs=1000', 'cacheLeaseMarginMs=100', ...defines].flatMap((d) => ['-D', d])];
    const a = await startNamenodeProcess(db.config, flags);
    const b = await startNamenodeProcess(db.config, flags);
    const datanodes = new DatanodeProcesses(join(work, tag), `127.0.0.1:${b.rpcPort}`, db.membershipSecret);
    const client = await NamenodeClient.connect(`127.0.0.1:${a.rpcPort}`, USER, `DFSClient_notice_${tag}`, new RpcCounter());
    const stop = async () => {
      await client.close();
      await datanodes.stopAll();
      await Promise.all([a.stop(), b.stop()]);
    };
    try {
      await datanodes.start('dn1');
      await client.mkdirs(`/${tag}`);
      // A places replicas once the datanode's registration with B is in the database.
      let probe = 0;
      await eventually('namenode A places a replica on the datanode of B', async () => {
        try {
          await data.writeFile(client, `/${tag}/probe${probe++}`, SMALL);
          return true;
        } catch {
          return undefined;
        }
      });
      return { a, b, client, stop };
    } catch (e) {
      await stop();
      throw e;
    }
  }

  /**
   * A complete on A that surely waits for its copy: sent before the block's
   * bytes, which go only once it sleeps on A. What woke A's waiters meanwhile.
   */
  async function completeBeforeTheBytes(p: Pair, src: string): Promise<Record<(typeof WAKE_GAUGES)[number], number>> {
    await p.client.create(src, { overwrite: true, blockSize: 1 << 20, replication: 1 });
    const located = await p.client.addBlock(src, undefined);
    const before = await wakes(p.a);
    const closing = p.client.complete(src, { ...located.b, numBytes: SMALL });
    await until('complete on A asleep until the copy is reported', async () => (await gauge(p.a, 'nnfleet_replica_waiters_sleeping')) === 1);
    await writeBlock({ located, clientName: p.client.clientName, next: fixedLengthSource(SMALL, patternBytes), connectTimeoutMs: 10_000, socketTimeoutMs: 30_000 });
    expect(await closing).toBe(true);
    expect(Number((await p.client.getFileInfo(src))?.length)).toBe(SMALL);
    const after = await wakes(p.a);
    return Object.fromEntries(WAKE_GAUGES.map((k) => [k, after[k] - before[k]])) as Record<(typeof WAKE_GAUGES)[number], number>;
  }

  /** `files` files of 4 KiB through A from `writers` concurrent writers; their latencies. */
  async function writeSmallFiles(p: Pair, dir: string, files: number, writers: number): Promise<number[]> {
    await p.client.mkdirs(dir);
    const latencies: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let i = next++; i < files; i = next++) {
          const t = performance.now();
          await data.writeFile(p.client, `${dir}/f${i}`, SMALL);
          latencies.push(performance.now() - t);
        }
      }),
    );
    for (let i = 0; i < files; i++) expect(Number((await p.client.getFileInfo(`${dir}/f${i}`))?.length)).toBe(SMALL);
    return latencies;
  }

  const summary = (latencies: number[], seconds: number): string => {
    const sorted = [...latencies].sort((x, y) => x - y);
    const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1);
    return `${latencies.length} files in ${seconds.toFixed(2)} s = ${(latencies.length / seconds).toFixed(1)} files/s, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`;
  };

  test('complete on A returns on B’s notice: with a one-minute poll no waiter re-ran on the timer', async () => {
    const p = await pair(['replicaReportPollMs=60000', 'replicaReportWaitMs=60000']);
    try {
      expect(await metric(p.a, 'nnfleet_replica_notices_listening')).toBe(1);
      const before = await wakes(p.a);
      const started = performance.now();
      const latencies = await writeSmallFiles(p, '/p1/seq', 20, 1);
      // The Go client too (it does not retry complete: the namenode's own wait answers it).
      const local = join(work, 'small.bin');
      writeFileSync(local, Buffer.alloc(SMALL, 7));
      await stdoutOf(hdfs(`127.0.0.1:${p.a.rpcPort}`, USER, ['put', local, '/p1/go.bin']));
      expect((await stdoutOf(hdfs(`127.0.0.1:${p.a.rpcPort}`, USER, ['cat', '/p1/go.bin']))).length).toBe(SMALL);
      const after = await wakes(p.a);
      console.log(
        `notices, poll 60 s: ${summary(latencies, (performance.now() - started) / 1000)}; namenode A woken by notice ${after.woken_by_notice - before.woken_by_notice}, ` +
          `by its own reports ${after.woken_by_report - before.woken_by_report}, poll timeouts ${after.poll_timeouts - before.poll_timeouts}; ` +
          `B published ${await gauge(p.b, 'nnfleet_replica_notices_published')}, A received ${await gauge(p.a, 'nnfleet_replica_notices_received')}`,
      );
      expect(after.poll_timeouts - before.poll_timeouts).toBe(0);
      expect(after.woken_by_report - before.woken_by_report).toBe(0);
      expect(await gauge(p.b, 'nnfleet_replica_notices_published')).toBeGreaterThan(0);

      // Whether those completes had to wait at all is a race (B's report transaction against the
      // client's complete to A); this one surely waits, and B's notice must wake it.
      expect(await completeBeforeTheBytes(p, '/p1/complete-first')).toEqual({ woken_by_report: 0, woken_by_notice: 1, poll_timeouts: 0 });
      // The datanode reports to B only, so A's completes never hold their first try for a copy.
      expect(await metric(p.a, 'nnfleet_replica_first_copy_waits')).toBe(0);
    } finally {
      await p.stop();
    }
  });

  test('small files on two namenodes with notices; Redis killed -9: writes still complete without notices, and notices resume after the restart', async () => {
    const p = await pair([]);
    try {
      let started = performance.now();
      const on = await writeSmallFiles(p, '/p2/on', 120, 8);
      const onLine = summary(on, (performance.now() - started) / 1000);
      const w = await wakes(p.a);
      console.log(`small files (4 KiB, replication 1, 8 writers, through A, datanode reporting to B), notices ON: ${onLine}; A woken by notice ${w.woken_by_notice}, poll timeouts ${w.poll_timeouts}`);
      expect(w.woken_by_notice).toBeGreaterThan(0);

      redis.process().child.kill('SIGKILL');
      await redis.process().exited;
      await until('A lost its subscription', async () => (await metric(p.a, 'nnfleet_replica_notices_listening')) === 0);
      const down = await wakes(p.a);
      started = performance.now();
      const without = await writeSmallFiles(p, '/p2/redis-down', 4, 2);
      const downAfter = await wakes(p.a);
      console.log(
        `Redis down: ${summary(without, (performance.now() - started) / 1000)} (each write also waits out the cache lease); ` +
          `A woken by notice ${downAfter.woken_by_notice - down.woken_by_notice}, poll timeouts ${downAfter.poll_timeouts - down.poll_timeouts}; ` +
          `B publish failures ${await gauge(p.b, 'nnfleet_replica_notices_publish_failures')}`,
      );
      expect(downAfter.woken_by_notice - down.woken_by_notice).toBe(0);
      // Not asserted: poll timeouts. With Redis down every write first waits
      // out the cache lease, so on a slow machine the datanode's report may
      // already be in when complete looks, and it returns without waiting;
      // the polling path itself is asserted with notices off (last test).
      // The files' lengths checked by writeSmallFiles show the writes completed.

      await redis.restart();
      await until('A subscribed again', async () => (await metric(p.a, 'nnfleet_replica_notices_listening')) === 1, 30_000);
      await until('B subscribed again', async () => (await metric(p.b, 'nnfleet_replica_notices_listening')) === 1, 30_000);
      // Whether a complete then waits is a race (see above): what must resume is B's notices reaching A.
      const received = await gauge(p.a, 'nnfleet_replica_notices_received');
      await writeSmallFiles(p, '/p2/back', 10, 1);
      await until('A receives B’s notices again', async () => (await gauge(p.a, 'nnfleet_replica_notices_received')) > received);
      console.log(`Redis back: A received ${(await gauge(p.a, 'nnfleet_replica_notices_received')) - received} notices for 10 files`);
    } finally {
      // A failure above must not leave Redis down for the next test.
      const child = redis.process().child;
      if (child.exitCode !== null || child.signalCode !== null) await redis.restart();
      await p.stop();
    }
  });

  test('small files on two namenodes without notices: waiters on A poll (printed beside the run with notices)', async () => {
    const p = await pair(['replicaNotices=false']);
    try {
      const started = performance.now();
      const off = await writeSmallFiles(p, '/p3/off', 120, 8);
      const w = await wakes(p.a);
      console.log(
        `small files (4 KiB, replication 1, 8 writers, through A, datanode reporting to B), notices OFF: ${summary(off, (performance.now() - started) / 1000)}; ` +
          `A woken by notice ${w.woken_by_notice}, poll timeouts ${w.poll_timeouts}`,
      );
      expect(await metric(p.a, 'nnfleet_replica_notices_received')).toBeUndefined();
      expect(w.woken_by_notice).toBe(0);
      expect(w.poll_timeouts).toBeGreaterThan(0);
    } finally {
      await p.stop();
    }
  });
});
