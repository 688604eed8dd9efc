import { createWriteStream, mkdirSync, openSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { spawnGuarded } from '../local/guarded-spawn';
import { awaitStartup, exitOf, openMemberLog, stopperOf } from './child-lifecycle';
import type { ExitStatus, FleetMember } from './fleet-member';

export interface DatanodeChildOptions {
  /** datanode-1, datanode-2, …: names its log file and its status lines. */
  readonly name: string;
  readonly host: string;
  /** Replicas and the datanode's identity; reused across starts, so the datanode keeps its uuid. */
  readonly dataDir: string;
  /** host:port of every namenode: a datanode reports to all of them. */
  readonly namenodes: readonly string[];
  readonly logDir: string;
  readonly logLevel: string;
  /** The datanode key file (the fleet's membership secret). */
  readonly keyFile: string;
  readonly blockAccessTokens: boolean;
  /** More `nnfleet datanode` flags (the block store's). */
  readonly extraArgs?: readonly string[];
  readonly startTimeoutMs?: number;
}

export interface DatanodeChild extends FleetMember {
  readonly xferAddress: string;
  readonly uuid: string;
  readonly logPath: string;
  readonly exited: Promise<ExitStatus>;
}

const CLI_MAIN = join(__dirname, '..', 'main.js');
const LISTENING = /datanode listening xfer=(\S+) uuid=(\S+)/;

/**
 * Runs `nnfleet datanode` as a child process and resolves once it prints
 * its listening line. The transfer port is always chosen by the system:
 * several datanodes share one host, and clients learn the port from the
 * namenodes. Its own process group keeps Ctrl-C for `up`, which stops
 * datanodes first; the parent-death signal stops it if `up` is killed.
 */
export async function spawnDatanode(opts: DatanodeChildOptions): Promise<DatanodeChild> {
  mkdirSync(opts.dataDir, { recursive: true });
  const memberLog = openMemberLog(opts.logDir, opts.name);
  const { logPath } = memberLog;
  const args = [
    CLI_MAIN,
    'datanode',
    `--data-dir=${opts.dataDir}`,
    `--namenodes=${opts.namenodes.join(',')}`,
    `--host=${opts.host}`,
    '--xfer-port=0',
    `--log-level=${opts.logLevel}`,
    `--datanode-key=${opts.keyFile}`,
    ...(opts.blockAccessTokens ? [] : ['--no-block-access-tokens']),
    ...(opts.extraArgs ?? []),
  ];
  const fd = openSync(logPath, 'a');
  let child;
  try {
    child = spawnGuarded(process.execPath, args, { stdio: ['ignore', 'pipe', fd], detached: true });
  } finally {
    closeSync(fd);
  }
  const log = createWriteStream(logPath, { flags: 'a' });
  let out = '';
  const exited = exitOf(child);
  void exited.then(() => log.end());
  const stop = stopperOf(child, exited, 10_000);
  // Stdout is copied to the log as it comes, and read for the listening line.
  const listening = await awaitStartup<RegExpMatchArray>(opts.name, exited, stop, memberLog, opts.startTimeoutMs ?? 30_000, (ready) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      out += chunk.toString();
      const m = out.match(LISTENING);
      if (m) ready(m);
    });
  });
  return {
    name: opts.name,
    pid: child.pid ?? -1,
    logPath,
    exited,
    stop,
    xferAddress: listening[1] ?? '',
    uuid: listening[2] ?? '',
  };
}
