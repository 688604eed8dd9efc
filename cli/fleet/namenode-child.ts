import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { logSize, logTail } from '../local/log-file';
import { describeExit, type ExitStatus, type FleetMember } from './fleet-member';
import { isListeningMessage } from './listening-message';

/** Where `nnfleet namenode` finds its database when a parent spawns it (keeps passwords out of `ps`). */
export const MYSQL_URL_ENV = 'NNFLEET_MYSQL_URL';

export interface NamenodeChildOptions {
  /** namenode-1, namenode-2, …: names its log file and its status lines. */
  readonly name: string;
  readonly host: string;
  readonly rpcPort: number;
  readonly httpPort: number;
  readonly mysqlUrl: string;
  readonly logDir: string;
  readonly logLevel: string;
  readonly startTimeoutMs?: number;
  /** Further `nnfleet namenode` arguments, e.g. ['-D', 'leaseHardLimitMs=2000']. */
  readonly extraArgs?: readonly string[];
  readonly stopTimeoutMs?: number;
}

export interface NamenodeChild extends FleetMember {
  readonly rpcPort: number;
  readonly httpPort: number;
  readonly logPath: string;
  readonly exited: Promise<ExitStatus>;
}

const CLI_MAIN = join(__dirname, '..', 'main.js');

/**
 * Runs `nnfleet namenode` as a child process and resolves once it listens.
 * A process per namenode, as the fleet runs in production: one can be killed
 * alone. The child has its own process group, so a Ctrl-C reaches only
 * `up`, which stops the namenodes before the database they need; and an IPC
 * channel, which closes when `up` dies however it dies, so no namenode
 * outlives it.
 */
export async function spawnNamenode(opts: NamenodeChildOptions): Promise<NamenodeChild> {
  mkdirSync(opts.logDir, { recursive: true });
  const logPath = join(opts.logDir, `${opts.name}.log`);
  const offset = logSize(logPath);
  appendFileSync(logPath, `--- nnfleet up: starting ${opts.name} at ${new Date().toISOString()} ---\n`);
  const args = [
    CLI_MAIN,
    'namenode',
    `--host=${opts.host}`,
    `--rpc-port=${opts.rpcPort}`,
    `--http-port=${opts.httpPort}`,
    `--log-level=${opts.logLevel}`,
    ...(opts.extraArgs ?? []),
  ];
  const fd = openSync(logPath, 'a');
  let child;
  try {
    child = spawn(process.execPath, args, {
      stdio: ['ignore', fd, fd, 'ipc'],
      detached: true,
      env: { ...process.env, [MYSQL_URL_ENV]: opts.mysqlUrl },
    });
  } finally {
    closeSync(fd);
  }
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    child.kill('SIGTERM');
    if (await settlesWithin(exited, opts.stopTimeoutMs ?? 15_000)) return;
    child.kill('SIGKILL');
    await exited;
  };

  let ports: { rpcPort: number; httpPort: number };
  try {
    ports = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${opts.name} did not start listening within ${opts.startTimeoutMs ?? 60_000} ms`)),
        opts.startTimeoutMs ?? 60_000,
      );
      child.on('message', (msg) => {
        if (isListeningMessage(msg)) {
          clearTimeout(timer);
          resolve(msg);
        }
      });
      void exited.then((status) => {
        clearTimeout(timer);
        reject(new Error(`${opts.name} exited during startup (${describeExit(status)})`));
      });
    });
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}; log ${logPath}:\n${logTail(logPath, offset)}`);
  }
  return { name: opts.name, pid: child.pid ?? -1, logPath, exited, stop, ...ports };
}

function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)));
  return Promise.race([p.then(() => true), timeout]).finally(() => clearTimeout(timer));
}
