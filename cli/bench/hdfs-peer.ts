import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitOf, stopperOf } from '../fleet/child-lifecycle';
import { describeExit } from '../fleet/fleet-member';
import { logTail } from '../local/log-file';
import { javaArgs } from './hdfs-peer-java';

/** Apache HDFS's own NameNode and DataNodes, running beside nnfleet. */
export interface HdfsPeer {
  /** HOST:PORT of its NameNode's Hadoop IPC server. */
  readonly address: string;
  readonly pid: number;
  readonly logPath: string;
  stop(): Promise<void>;
}

const MANAGER = 'org.apache.hadoop.test.MiniDFSClusterManager';

/**
 * MiniDFSClusterManager (hadoop-hdfs's tests jar) in a JVM of its own: a
 * freshly formatted NameNode and `datanodes` DataNodes under `dir`, on
 * ports it chooses and writes to a details file, which is how we learn it
 * is up. Block size minimum 0 as nnfleet accepts, so a client asking for
 * small blocks gets the same answer from both.
 */
export async function startHdfsPeer(classpath: string, dir: string, datanodes: number, startTimeoutMs = 180_000): Promise<HdfsPeer> {
  mkdirSync(dir, { recursive: true });
  const details = join(dir, 'details.json');
  const logPath = join(dir, 'hdfs-peer.log');
  const args = javaArgs(classpath, '1g', MANAGER, [
    '-format',
    '-nnport',
    '0',
    '-httpport',
    '0',
    '-datanodes',
    String(datanodes),
    '-writeDetails',
    details,
    // -D takes several values: last, so it swallows nothing else.
    '-D',
    `hdfs.minidfs.basedir=${join(dir, 'base')}`,
    '-D',
    'dfs.namenode.fs-limits.min-block-size=0',
  ]);
  const fd = openSync(logPath, 'a');
  let child;
  try {
    child = spawn('java', args, { stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  const exited = exitOf(child);
  const stopChild = stopperOf(child, exited, 20_000);
  // A bench ended by Ctrl-C or SIGTERM exits without stopping its sections: the JVM must not outlive it.
  const stopOnExit = (): void => void child.kill('SIGTERM');
  process.once('exit', stopOnExit);
  const stop = (): Promise<void> => {
    process.removeListener('exit', stopOnExit);
    return stopChild();
  };
  let ended: string | undefined;
  void exited.then((s) => (ended = describeExit(s)));
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    const port = readPort(details);
    if (port !== undefined) return { address: `127.0.0.1:${port}`, pid: child.pid ?? -1, logPath, stop };
    if (ended !== undefined || Date.now() > deadline) {
      await stop();
      const why = ended !== undefined ? `exited during startup (${ended})` : `not up within ${startTimeoutMs} ms`;
      throw new Error(`Apache HDFS (${MANAGER}) ${why}; log ${logPath}:\n${logTail(logPath, 0)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function readPort(details: string): number | undefined {
  if (!existsSync(details)) return undefined;
  try {
    const port = (JSON.parse(readFileSync(details, 'utf8')) as { namenode_port?: unknown }).namenode_port;
    return typeof port === 'number' && port > 0 ? port : undefined;
  } catch {
    return undefined; // written but not yet complete
  }
}
