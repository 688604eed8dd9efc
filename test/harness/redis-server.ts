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
