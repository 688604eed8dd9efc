import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { createMysqlConnection, type MysqlConfig } from '../../schema/mysql-config';
import { pickFreePort } from './free-port';
import { spawnGuarded } from './guarded-spawn';
import { logSize, logTail } from './log-file';
import { findMariaDbBinaries, type MariaDbBinaries } from './mariadb-binaries';
import { assertNoServerRunning } from './pid-file';
import { settlesWithin } from './settles-within';

export interface LocalLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface PrivateMariaDbOptions {
  /** Holds data/, the socket, the pid file and the logs; reused across starts. */
  readonly dir: string;
  /** TCP port on 127.0.0.1; 0 or absent picks a free one. */
  readonly port?: number;
  readonly bufferPoolMb?: number;
  /** 1 (default) is durable; 2 trades the last second on OS crash for speed (tests). */
  readonly flushLogAtTrxCommit?: 0 | 1 | 2;
  readonly startTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
  readonly logger?: LocalLogger;
}

export interface PrivateMariaDb {
  readonly host: string;
  readonly port: number;
  readonly socketPath: string;
  readonly pid: number;
  readonly logPath: string;
  /** Connection settings for `database` as root (empty password). */
  config(database: string): MysqlConfig;
  /** SIGTERM, then SIGKILL if it has not exited in time. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
/** sun_path is 108 bytes on Linux, including the terminating NUL. */
const MAX_SOCKET_PATH = 107;
const PORT_ATTEMPTS = 3;

/**
 * Starts a MariaDB server of our own as a child process: not the system
 * service, no /etc/mysql config, root without password on loopback only.
 */
export async function startPrivateMariaDb(opts: PrivateMariaDbOptions): Promise<PrivateMariaDb> {
  const dir = resolve(opts.dir);
  const socketPath = join(dir, 'mysql.sock');
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    throw new Error(`socket path ${socketPath} is longer than ${MAX_SOCKET_PATH} bytes; use a shorter directory`);
  }
  mkdirSync(dir, { recursive: true });
  assertNoServerRunning(join(dir, 'mariadbd.pid'), dir);
  const binaries = findMariaDbBinaries();
  await installIfNew(binaries, dir, opts.logger);

  for (let attempt = 1; ; attempt++) {
    const port = opts.port || (await pickFreePort());
    try {
      return await launch(binaries, dir, port, socketPath, opts);
    } catch (err) {
      // Someone took the port we picked between probing and binding.
      const raced = !opts.port && err instanceof PortInUseError && attempt < PORT_ATTEMPTS;
      if (!raced) throw err;
      opts.logger?.warn({ port }, 'picked port was taken; retrying with another');
    }
  }
}

class PortInUseError extends Error {}

async function installIfNew(binaries: MariaDbBinaries, dir: string, logger?: LocalLogger): Promise<void> {
  const dataDir = join(dir, 'data');
  if (existsSync(join(dataDir, 'mysql'))) return;
  // A half-installed datadir from an interrupted first start would not boot.
  rmSync(dataDir, { recursive: true, force: true });
  const logPath = join(dir, 'install.log');
  const offset = logSize(logPath);
  logger?.info({ dataDir }, 'initialising MariaDB data directory');
  const args = [
    '--no-defaults',
    `--user=${userInfo().username}`,
    `--datadir=${dataDir}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    '--skip-name-resolve',
  ];
  const code = await runToExit(binaries.installDb, args, logPath);
  if (code !== 0) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${binaries.installDb} failed (exit ${code}):\n${logTail(logPath, offset)}`);
  }
}

async function launch(
  binaries: MariaDbBinaries,
  dir: string,
  port: number,
  socketPath: string,
  opts: PrivateMariaDbOptions,
): Promise<PrivateMariaDb> {
  const logPath = join(dir, 'mariadbd.log');
  const offset = logSize(logPath);
  const args = [
    '--no-defaults',
    `--user=${userInfo().username}`,
    `--datadir=${join(dir, 'data')}`,
    `--socket=${socketPath}`,
    `--pid-file=${join(dir, 'mariadbd.pid')}`,
    `--port=${port}`,
    `--bind-address=${HOST}`,
    '--skip-name-resolve',
    `--innodb-buffer-pool-size=${opts.bufferPoolMb ?? 256}M`,
    `--innodb-flush-log-at-trx-commit=${opts.flushLogAtTrxCommit ?? 1}`,
    '--max-connections=500',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_bin',
    // What NDB offers, so behaviour under MariaDB matches production.
    '--transaction-isolation=READ-COMMITTED',
  ];
  const child = spawnToLog(binaries.mariadbd, args, logPath);
  // 'error' without 'exit' is how a failed spawn ends.
  const exited = new Promise<void>((done) => child.once('exit', () => done()).once('error', () => done()));
  const stopOnExit = (): void => void child.kill('SIGTERM');
  process.once('exit', stopOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', stopOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (await settlesWithin(exited, opts.stopTimeoutMs ?? 30_000)) return;
    opts.logger?.warn({ pid: child.pid }, 'MariaDB did not stop after SIGTERM; killing it');
    child.kill('SIGKILL');
    await exited;
  };

  try {
    await waitUntilAccepting(socketPath, exited, opts.startTimeoutMs ?? 30_000);
  } catch (err) {
    await stop();
    const tail = logTail(logPath, offset);
    if (/Bind on TCP\/IP port|Address already in use/.test(tail)) {
      throw new PortInUseError(`port ${port} is already in use; log ${logPath}:\n${tail}`);
    }
    throw new Error(`${(err as Error).message}; log ${logPath}:\n${tail}`);
  }
  opts.logger?.info({ pid: child.pid, port, dir }, 'private MariaDB ready');
  return {
    host: HOST,
    port,
    socketPath,
    pid: child.pid ?? -1,
    logPath,
    config: (database) => ({ host: HOST, port, user: 'root', password: '', database, socketPath }),
    stop,
  };
}

async function waitUntilAccepting(socketPath: string, exited: Promise<void>, timeoutMs: number): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone) throw new Error('MariaDB exited during startup');
    if (existsSync(socketPath)) {
      try {
        const conn = await createMysqlConnection({ host: HOST, port: 0, user: 'root', password: '', database: '', socketPath });
        await conn.end();
        return;
      } catch {
        // Not accepting yet (socket created before the server is ready).
      }
    }
    if (Date.now() > deadline) throw new Error(`MariaDB did not accept connections within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Guarded: a server left running by a killed parent would hold the datadir and refuse the next start. */
function spawnToLog(command: string, args: readonly string[], logPath: string): ChildProcess {
  const fd = openSync(logPath, 'a');
  try {
    return spawnGuarded(command, args, { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
}

function runToExit(command: string, args: readonly string[], logPath: string): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawnToLog(command, args, logPath);
    child.once('error', fail);
    child.once('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
  });
}
