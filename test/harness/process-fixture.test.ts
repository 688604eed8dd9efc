import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expectAllGone, isAlive } from '../cli/cli-process';
import { until } from './eventually';
import { execProcess, startProcess } from './process-fixture';
import { RUN_CHILD_ENV, runDir } from './run-registry';

const REAPER = resolve(__dirname, 'run-reaper.sh');

/** The fixture every test's processes go through, on real processes. */
describe('the process fixture', () => {
  test('a process is in the run registry the moment it is spawned, under its own pid (setpriv execs it)', async () => {
    const p = startProcess('sleep', ['30']);
    try {
      const dir = runDir();
      if (!dir) throw new Error('no run registry: run through jest with the root jest.config.js');
      expect(readFileSync(join(dir, 'pids'), 'utf8')).toMatch(new RegExp(`^${p.pid} \\d+ sleep 30$`, 'm'));
      // setpriv first, then (exec, same pid) the command itself.
      await until('sleep to replace setpriv', () => readFileSync(`/proc/${p.pid}/cmdline`, 'utf8') === 'sleep\u000030\u0000', 5000);
      expect(readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\u0000')).toContain(`${RUN_CHILD_ENV}=${dir}`);
    } finally {
      expect(await p.stop()).toBe('SIGTERM');
    }
  });

  test('stop sends SIGKILL to a process that ignores SIGTERM, after the grace period', async () => {
    const p = startProcess('bash', ['-c', 'trap "" TERM; echo ready; while :; do sleep 0.1; done']);
    await p.waitFor(/^ready$/m, 10_000);
    expect(await p.stop(300)).toBe('SIGKILL');
    expect(isAlive(p.pid)).toBe(false);
  });

  test('the reaper finds a process of the run that escaped its parent (setsid, parent gone), names it and stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnfleet-reaper-'));
    let pid = 0;
    try {
      // A run of its own: only what carries this directory's marker is the reaper's.
      const spawned = await execProcess('bash', ['-c', `${RUN_CHILD_ENV}=${dir} setsid sleep 303 </dev/null >/dev/null 2>&1 & echo $!`]);
      pid = Number(spawned.stdout.trim());
      expect(isAlive(pid)).toBe(true);
      const { stdout } = await execProcess('bash', [REAPER, 'kill', dir]);
      expect(stdout).toBe(`${pid} sleep 303\n`);
      await expectAllGone([pid]);
    } finally {
      if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
