import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pickFreePort } from '../../cli/local/free-port';
import { startProcess, type TestProcess } from './process-fixture';

/** A private redis-server on loopback (no persistence), as INFRA.md describes; restartable on the same port. */
export interface RedisFixture {
  readonly port: number;
  readonly url: string;
  process(): TestProcess;
  /** Starts it again on the same port (after a kill). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function launch(port: number): Promise<TestProcess> {
  const p = startProcess('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no']);
  await p.waitFor(/Ready to accept connections/, 10_000);
  return p;
}

export async function startRedis(): Promise<RedisFixture> {
  const port = await pickFreePort();
  let current = await launch(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    process: () => current,
    restart: async () => {
      current = await launch(port);
    },
    stop: async () => {
      await current.stop();
    },
  };
}

/** A Redis master, one replica and one Sentinel (quorum 1, quick failover) on loopback. */
export interface SentinelFixture {
  readonly sentinelPort: number;
  readonly name: string;
  master(): TestProcess;
  stop(): Promise<void>;
}

export async function startSentinelRedis(dir: string): Promise<SentinelFixture> {
  const [masterPort, replicaPort, sentinelPort] = [await pickFreePort(), await pickFreePort(), await pickFreePort()];
  const master = await launch(masterPort);
  // Its own working directory: a replica writes the master's snapshot there (and would load it next time).
  const replica = startProcess('redis-server', ['--port', String(replicaPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--replicaof', '127.0.0.1', String(masterPort)]);
  const started = [master, replica];
  try {
    await replica.waitFor(/MASTER <-> REPLICA sync: Finished with success/, 30_000);
  } catch (e) {
    await Promise.all(started.map((p) => p.stop()));
    throw e;
  }
  const conf = join(dir, 'sentinel.conf');
  writeFileSync(conf, [`port ${sentinelPort}`, 'bind 127.0.0.1', `sentinel monitor nnfleet 127.0.0.1 ${masterPort} 1`, 'sentinel down-after-milliseconds nnfleet 500', 'sentinel failover-timeout nnfleet 3000', ''].join('\n'));
  const sentinel = startProcess('redis-server', [conf, '--sentinel']);
  try {
    await sentinel.waitFor(/\+monitor master nnfleet/, 30_000);
  } catch (e) {
    await Promise.all([sentinel, ...started].map((p) => p.stop()));
    throw e;
  }
  return {
    sentinelPort,
    name: 'nnfleet',
    master: () => master,
    stop: async () => {
      await Promise.all([sentinel.stop(), replica.stop(), master.stop()]);
    },
  };
}

/** One redis-server for the test file: started before its tests, stopped after; the getter answers it. */
export function redisForSuite(): () => RedisFixture {
  let redis: RedisFixture | undefined;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());
  return () => {
    if (!redis) throw new Error('redis-server not started');
    return redis;
  };
}
