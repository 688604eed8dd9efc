import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ExitStatus, FleetMember } from '../fleet/fleet-member';
import { accepts } from './accepts';
import { pickFreePort } from './free-port';
import { spawnGuarded } from './guarded-spawn';
import { logTail, logSize } from './log-file';
import { stopChild } from './stop-child';

export interface RedisServerOptions {
  /** Holds redis.log. */
  readonly dir: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly startTimeoutMs?: number;
}

export interface RunningRedis extends FleetMember {
  readonly url: string;
  readonly exited: Promise<ExitStatus>;
}

const REDIS = 'redis-server';

/**
 * A private redis-server for the metadata cache (INFRA.md): loopback only,
 * no persistence (the cache's state is leases and messages, nothing to
 * keep), in the foreground as a child, once it accepts connections.
 */
export async function startRedisServer(opts: RedisServerOptions): Promise<RunningRedis> {
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const port = opts.port || (await pickFreePort());
  const logPath = join(dir, 'redis.log');
  const offset = logSize(logPath);
  const fd = openSync(logPath, 'a');
  let child;
  try {
    const args = ['--bind', opts.host, '--port', String(port), '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--protected-mode', 'yes'];
    // Its own process group: a Ctrl-C reaches `up` only, which stops Redis after the namenodes.
    child = spawnGuarded(REDIS, args, { stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<ExitStatus>((done) => {
    child.once('exit', (code, signal) => done({ code, signal }));
    child.once('error', () => done({ code: null, signal: null }));
  });
  const stop = (): Promise<void> => stopChild(child, exited);
  const deadline = Date.now() + (opts.startTimeoutMs ?? 10_000);
  let gone = false;
  void exited.then(() => (gone = true));
  while (!(await accepts(opts.host, port))) {
    if (gone || Date.now() > deadline) {
      await stop();
      throw new Error(`redis-server did not start on ${opts.host}:${port}; log ${logPath}:\n${logTail(logPath, offset)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { name: 'redis', pid: child.pid ?? -1, url: `redis://${opts.host}:${port}`, logPath, exited, stop };
}
