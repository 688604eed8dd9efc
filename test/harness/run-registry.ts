import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The jest run's record of its processes: a directory made by global setup
 * (published to the test files in RUN_DIR_ENV) and one environment variable,
 * RUN_CHILD_ENV, that every process of the run carries and hands down to
 * whatever it starts. test/harness/run-reaper.sh finds the run's processes
 * by both; facts and reasons there.
 */
export const RUN_DIR_ENV = 'NNFLEET_TEST_RUN_DIR';
export const RUN_CHILD_ENV = 'NNFLEET_TEST_RUN_CHILD';
const REAPER = resolve(__dirname, 'run-reaper.sh');

export const runDir = (): string | undefined => process.env[RUN_DIR_ENV] || undefined;

/** `env` with the run's marker: what every process the tests start is given. */
export function markedEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const dir = runDir();
  return dir ? { ...env, [RUN_CHILD_ENV]: dir } : { ...env };
}

function unmarkedEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env[RUN_CHILD_ENV];
  return env;
}

/** Global setup: the registry, and a detached reaper that stops the run's processes if jest dies without its teardown. */
export function openRunRegistry(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nnfleet-run-'));
  process.env[RUN_DIR_ENV] = dir;
  const reaper = spawn('bash', [REAPER, 'watch', String(process.pid), dir], { detached: true, stdio: 'ignore', env: unmarkedEnv() });
  reaper.unref();
  writeFileSync(join(dir, 'reaper.pid'), String(reaper.pid));
  return dir;
}

/**
 * Global teardown: stops every process of the run still alive and removes
 * the registry. Returns one line per process a test file left running (and
 * its fixture had to stop) and per process that outlived everything.
 */
export function closeRunRegistry(): string[] {
  const dir = runDir();
  if (!dir) return [];
  const survivors = execFileSync('bash', [REAPER, 'kill', dir], { encoding: 'utf8', env: unmarkedEnv(), timeout: 60_000 })
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => `survived the run: pid ${l}`);
  const leaks = readLines(join(dir, 'leaks'));
  const reaper = Number(readLines(join(dir, 'reaper.pid'))[0]);
  try {
    if (reaper > 0) process.kill(reaper, 'SIGTERM');
  } catch {
    // Gone already.
  }
  rmSync(dir, { recursive: true, force: true });
  return [...leaks, ...survivors];
}

/** Records a process of the run by pid and start time (the pair names it even after the pid is reused). */
export function recordProcess(pid: number, what: string): void {
  const dir = runDir();
  const start = startTime(pid);
  if (!dir || start === undefined) return;
  appendFileSync(join(dir, 'pids'), `${pid} ${start} ${what.replace(/\s+/g, ' ')}\n`);
}

/** A test file ended with a process of its own still running: its fixture stopped it, and the run fails. */
export function recordLeak(testPath: string, pid: number, what: string): void {
  const dir = runDir();
  if (dir) appendFileSync(join(dir, 'leaks'), `left running by ${testPath}: pid ${pid} ${what.replace(/\s+/g, ' ')}\n`);
}

/** Field 22 of /proc/PID/stat, counted after the command name (which may hold spaces and parentheses). */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}
