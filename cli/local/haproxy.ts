import { execFile } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { ExitStatus, FleetMember } from '../fleet/fleet-member';
import { accepts } from './accepts';
import { pickFreePort } from './free-port';
import { spawnGuarded } from './guarded-spawn';
import { renderHaproxyConfig, type BalancedNamenode } from './haproxy-config';
import { logSize, logTail } from './log-file';
import { stopChild } from './stop-child';

export interface HaproxyOptions {
  /** Holds haproxy.cfg, haproxy.pid and haproxy.log. */
  readonly dir: string;
  readonly host: string;
  /** 0 picks a free port: haproxy itself cannot report the port it bound. */
  readonly rpcPort: number;
  readonly httpPort: number;
  /** The gRPC frontend; none when absent. */
  readonly grpcPort?: number | undefined;
  readonly namenodes: readonly BalancedNamenode[];
  readonly startTimeoutMs?: number;
}

export interface RunningHaproxy extends FleetMember {
  readonly rpcPort: number;
  readonly httpPort: number;
  readonly grpcPort: number | undefined;
  readonly logPath: string;
  readonly exited: Promise<ExitStatus>;
}

const HAPROXY = 'haproxy';
const PORT_ATTEMPTS = 3;
const run = promisify(execFile);

/** Runs haproxy in the foreground (`-db`) as a child, in front of the namenodes, once it accepts on both frontends. */
export async function startHaproxy(opts: HaproxyOptions): Promise<RunningHaproxy> {
  const dir = resolve(opts.dir);
  mkdirSync(dir, { recursive: true });
  const pidFile = join(dir, 'haproxy.pid');
  await stopLeftover(pidFile);
  for (let attempt = 1; ; attempt++) {
    const rpcPort = opts.rpcPort || (await pickFreePort());
    const httpPort = opts.httpPort || (await pickFreePort());
    const grpcPort = opts.grpcPort === undefined ? undefined : opts.grpcPort || (await pickFreePort());
    try {
      return await launch(dir, pidFile, { ...opts, rpcPort, httpPort, grpcPort });
    } catch (err) {
      // Someone took a port we picked between probing and binding.
      const raced = (!opts.rpcPort || !opts.httpPort || opts.grpcPort === 0) && err instanceof PortInUseError && attempt < PORT_ATTEMPTS;
      if (!raced) throw err;
    }
  }
}

class PortInUseError extends Error {}

async function launch(dir: string, pidFile: string, opts: HaproxyOptions): Promise<RunningHaproxy> {
  const cfgPath = join(dir, 'haproxy.cfg');
  writeFileSync(cfgPath, renderHaproxyConfig(opts));
  try {
    await run(HAPROXY, ['-c', '-q', '-f', cfgPath]);
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`haproxy rejects ${cfgPath}: ${(e.stderr || e.stdout || e.message).trim()}`);
  }

  const logPath = join(dir, 'haproxy.log');
  const offset = logSize(logPath);
  const fd = openSync(logPath, 'a');
  let child;
  try {
    // Its own process group: a Ctrl-C reaches `up` only, which stops haproxy after the datanodes.
    child = spawnGuarded(HAPROXY, ['-f', cfgPath, '-db'], { stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<ExitStatus>((done) => {
    child.once('exit', (code, signal) => done({ code, signal }));
    child.once('error', () => done({ code: null, signal: null }));
  });
  const pid = child.pid ?? -1;
  writeFileSync(pidFile, `${pid}\n`);

  const stop = async (): Promise<void> => {
    // SIGTERM is haproxy's hard stop; a soft stop would wait for every idle client connection.
    await stopChild(child, exited);
    rmSync(pidFile, { force: true });
  };

  try {
    await waitAccepting(opts.host, [opts.rpcPort, opts.httpPort, ...(opts.grpcPort === undefined ? [] : [opts.grpcPort])], exited, opts.startTimeoutMs ?? 10_000);
  } catch (err) {
    await stop();
    const tail = logTail(logPath, offset);
    if (/cannot bind socket|Address already in use/i.test(tail)) {
      throw new PortInUseError(`haproxy: port ${opts.rpcPort}, ${opts.httpPort} or ${opts.grpcPort ?? '-'} is in use; log ${logPath}:\n${tail}`);
    }
    throw new Error(`haproxy: ${(err as Error).message}; log ${logPath}:\n${tail}`);
  }
  return { name: 'haproxy', pid, rpcPort: opts.rpcPort, httpPort: opts.httpPort, grpcPort: opts.grpcPort, logPath, exited, stop };
}

/** A haproxy left by an `up` that could not stop it would hold the ports: stop it by its recorded pid. */
async function stopLeftover(pidFile: string): Promise<void> {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
    if (!/haproxy/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) throw new Error('not haproxy');
  } catch {
    rmSync(pidFile, { force: true });
    return;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  rmSync(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitAccepting(host: string, ports: readonly number[], exited: Promise<ExitStatus>, timeoutMs: number): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone) throw new Error('exited during startup');
    const open = await Promise.all(ports.map((port) => accepts(host, port)));
    if (open.every(Boolean)) return;
    if (Date.now() > deadline) throw new Error(`not accepting on ${ports.join(', ')} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
