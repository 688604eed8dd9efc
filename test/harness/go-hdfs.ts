import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The Go HDFS client built by scripts/install-deps.sh. */
export const GO_HDFS = resolve(__dirname, '../../.tools/bin/hdfs');

export interface HdfsResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the Go `hdfs` command against `namenode` as `user`, exactly as a user would; killed after `timeoutMs`. */
export function hdfs(namenode: string, user: string, args: readonly string[], input?: string, timeoutMs = 30_000): Promise<HdfsResult> {
  if (!existsSync(GO_HDFS)) throw new Error(`${GO_HDFS} is missing: run scripts/install-deps.sh`);
  return new Promise((done) => {
    const child = execFile(
      GO_HDFS,
      [...args],
      { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HADOOP_NAMENODE: namenode, HADOOP_USER_NAME: user, HOME: process.env['HOME'] ?? '/tmp' }, timeout: timeoutMs },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** The stdout of a Go `hdfs` run that must succeed; its stderr in the error otherwise. */
export async function stdoutOf(run: Promise<HdfsResult>): Promise<string> {
  const r = await run;
  if (r.code !== 0) throw new Error(`hdfs failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}
