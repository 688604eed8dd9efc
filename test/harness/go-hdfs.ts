import { existsSync } from 'node:fs';
import { toolPath } from './prerequisite';
import { runProcess } from './process-fixture';

/** The Go HDFS client built by scripts/install-deps.sh (under $NNFLEET_TOOLS_DIR when set). */
export const GO_HDFS = toolPath('bin/hdfs');

export interface HdfsResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the Go `hdfs` command against `namenode` as `user`, exactly as a user would; killed after `timeoutMs`. */
export async function hdfs(namenode: string, user: string, args: readonly string[], input?: string, timeoutMs = 30_000): Promise<HdfsResult> {
  if (!existsSync(GO_HDFS)) throw new Error(`${GO_HDFS} is missing: run scripts/install-deps.sh`);
  const { code, stdout, stderr } = await runProcess(GO_HDFS, args, {
    env: hdfsEnv(namenode, user),
    timeoutMs,
    ...(input !== undefined ? { input } : {}),
  });
  return { code, stdout, stderr };
}

/** The environment the Go client reads: which namenode, as whom; nothing else of ours. */
export function hdfsEnv(namenode: string, user: string): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HADOOP_NAMENODE: namenode, HADOOP_USER_NAME: user, HOME: process.env['HOME'] ?? '/tmp' };
}

/** The stdout of a Go `hdfs` run that must succeed; its stderr in the error otherwise. */
export async function stdoutOf(run: Promise<HdfsResult>): Promise<string> {
  const r = await run;
  if (r.code !== 0) throw new Error(`hdfs failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}
