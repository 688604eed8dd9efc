import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { awaitStartup, exitOf, openMemberLog, stopperOf } from './child-lifecycle';
import type { ExitStatus, FleetMember } from './fleet-member';
import { isListeningMessage } from './listening-message';

/** Where `nnfleet namenode` finds its database when a parent spawns it (keeps passwords out of `ps`). */
export const MYSQL_URL_ENV = 'NNFLEET_MYSQL_URL';

export interface NamenodeChildOptions {
  /** namenode-1, namenode-2, …: names its log file and its status lines. */
  readonly name: string;
  readonly host: string;
  readonly rpcPort: number;
  readonly httpPort: number;
  /** 0: any free port (the default). */
  readonly grpcPort?: number;
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
  readonly grpcPort: number;
  readonly logPath: string;
  readonly exited: Promise<ExitStatus>;
}

const CLI_MAIN = join(__dirname, '..', 'main.js');

/**
 * V8 flags a namenode runs with unless NODE_OPTIONS sets them: a young
 * generation of 64 MiB semi-spaces instead of 16, so a namenode answering
 * thousands of calls a second scavenges a quarter as often; its GC time per
 * call halved in the measurements (bench/README.md, *GC of the namenode*).
 */
export function namenodeV8Flags(nodeOptions = process.env['NODE_OPTIONS'] ?? ''): string[] {
  return /--max-semi-space-size/.test(nodeOptions) ? [] : ['--max-semi-space-size=64'];
}

/**
 * Runs `nnfleet namenode` as a child process and resolves once it listens.
 * A process per namenode, as the fleet runs in production: one can be killed
 * alone. The child has its own process group, so a Ctrl-C reaches only
 * `up`, which stops the namenodes before the database they need; and an IPC
 * channel, which closes when `up` dies however it dies, so no namenode
 * outlives it.
 */
export async function spawnNamenode(opts: NamenodeChildOptions): Promise<NamenodeChild> {
  const memberLog = openMemberLog(opts.logDir, opts.name);
  const { logPath } = memberLog;
  const args = [
    ...namenodeV8Flags(),
    CLI_MAIN,
    'namenode',
    `--host=${opts.host}`,
    `--rpc-port=${opts.rpcPort}`,
    `--http-port=${opts.httpPort}`,
    `--grpc-port=${opts.grpcPort ?? 0}`,
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
  const exited = exitOf(child);
  const stop = stopperOf(child, exited, opts.stopTimeoutMs ?? 15_000);
  const ports = await awaitStartup<{ rpcPort: number; httpPort: number; grpcPort: number }>(opts.name, exited, stop, memberLog, opts.startTimeoutMs ?? 60_000, (ready) => {
    child.on('message', (msg) => {
      if (isListeningMessage(msg)) ready({ rpcPort: msg.rpcPort, httpPort: msg.httpPort, grpcPort: msg.grpcPort ?? 0 });
    });
  });
  return { name: opts.name, pid: child.pid ?? -1, logPath, exited, stop, ...ports };
}
