import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expectAllGone, runCli, type CliRun } from './cli-process';

const run = promisify(execFile);
const goHdfs = join(process.env['NNFLEET_TOOLS_DIR'] ?? join(__dirname, '../../.tools'), 'bin/hdfs');
const START_MS = 90_000;

/** `nnfleet up` as a user runs it, on ports 0, driven by the Go hdfs client. */
describe('nnfleet up', () => {
  let dir: string;
  let up: CliRun | undefined;

  beforeEach(() => {
    // Short: the MariaDB socket path must fit in 107 bytes.
    dir = mkdtempSync(join(tmpdir(), 'nnup-'));
  });
  afterEach(async () => {
    if (up && up.child.exitCode === null && up.child.signalCode === null) {
      up.child.kill('SIGKILL');
      await up.exited;
    }
    up = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  function pidOf(label: RegExp): number {
    const m = up?.stdout().match(label);
    if (!m?.[1]) throw new Error(`no pid for ${label} in:\n${up?.stdout()}`);
    return Number(m[1]);
  }

  function hdfs(rpc: string, ...args: string[]): Promise<{ stdout: string }> {
    return run(goHdfs, args, {
      env: { ...process.env, HADOOP_NAMENODE: rpc, HADOOP_USER_NAME: userInfo().username, HADOOP_CONF_DIR: '/nonexistent' },
      timeout: 20_000,
    });
  }

  it(
    'serves the Go client, then stops namenode and MariaDB on SIGTERM and exits 0',
    async () => {
      up = runCli(['up', '--data-dir', dir, '--rpc-port', '0', '--http-port', '0', '--datanodes', '2']);
      const ready = await up.waitFor(/ready hdfs:\/\/([\d.]+:\d+) (http:\/\/[\d.]+:\d+) fs\.defaultFS=hdfs:\/\/\1/, START_MS);
      const [, rpc = '', http = ''] = ready;
      expect(rpc).not.toMatch(/:0$/);
      expect(up.stdout()).toContain('datanodes are not part of this build yet');
      expect(up.stdout()).toMatch(/namespace created cluster=CID-/);
      const mariadbPid = pidOf(/database ready .* pid=(\d+)/);
      const namenodePid = pidOf(/namenode-1 pid=(\d+)/);

      expect((await hdfs(rpc, 'ls', '/')).stdout).toBe('');
      await hdfs(rpc, 'mkdir', '-p', '/a/b');
      expect((await hdfs(rpc, 'ls', '/a')).stdout).toBe('b\n');

      const health = await fetch(`${http}/healthz`);
      expect(health.status).toBe(200);
      expect(await (await fetch(`${http}/metrics`)).text()).toMatch(/nnfleet_rpc_duration_seconds_count\{method="mkdirs"/);

      up.child.kill('SIGTERM');
      expect(await up.exited).toBe(0);
      await expectAllGone([mariadbPid, namenodePid]);
      expect(readFileSync(join(dir, 'logs/namenode-1.log'), 'utf8')).toContain('namenode listening rpc=');
    },
    START_MS + 30_000,
  );

  it(
    'keeps the namespace across restarts, gives each namenode its own ports, and stops all when one dies',
    async () => {
      up = runCli(['up', '--data-dir', dir, '--rpc-port', '0', '--http-port', '0']);
      const [, first = ''] = await up.waitFor(/ready hdfs:\/\/([\d.]+:\d+)/, START_MS);
      await hdfs(first, 'mkdir', '/kept');
      up.child.kill('SIGINT');
      expect(await up.exited).toBe(0);

      up = runCli(['up', '--data-dir', dir, '--rpc-port', '0', '--http-port', '0', '--namenodes', '2']);
      await up.waitFor(/ready hdfs:\/\//, START_MS);
      expect(up.stdout()).toMatch(/namespace found cluster=CID-/);
      const [, second = ''] = up.stdout().match(/namenode-2 hdfs:\/\/([\d.]+:\d+)/) ?? [];
      expect((await hdfs(second, 'ls', '/')).stdout).toBe('kept\n');

      const mariadbPid = pidOf(/database ready .* pid=(\d+)/);
      const nn1 = pidOf(/namenode-1 pid=(\d+)/);
      const nn2 = pidOf(/namenode-2 pid=(\d+)/);
      process.kill(nn2, 'SIGKILL');
      expect(await up.exited).toBe(1);
      expect(up.stderr()).toMatch(/namenode-2 \(pid \d+\) exited unexpectedly \(killed by SIGKILL\)/);
      await expectAllGone([mariadbPid, nn1]);
    },
    2 * START_MS,
  );
});
