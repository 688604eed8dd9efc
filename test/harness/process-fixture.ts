import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { markedEnv, recordLeak, recordProcess } from './run-registry';

/**
 * Every process a test starts, started one way: recorded in the run's
 * registry the moment it is spawned (not once it says it is ready), given a
 * parent-death signal, stopped with SIGTERM then SIGKILL, and stopped by the
 * test environment (process-environment.ts) if the test file ends with it
 * still running — a fixture that failed half-way included — which fails the
 * run (global-teardown.ts).
 */

/**
 * util-linux (Essential in Debian, so always there) sets the parent-death
 * signal and then execs the command: the pid is the command's own, and the
 * kernel kills it when the process that spawned it dies, SIGKILL included.
 */
const SETPRIV = '/usr/bin/setpriv';
const GRACE_MS = 5000;
/** On the test file's global: the processes it started that still run. */
const LIVE = '__nnfleetTestProcesses';

export interface ProcessOptions {
  /** The child's whole environment (default: this process's); the run's marker is added. */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Default: stdin ignored, stdout and stderr captured. */
  readonly stdio?: StdioOptions;
  /** Between SIGTERM and SIGKILL when stopped. */
  readonly graceMs?: number;
}

export interface TestProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** stdout so far (when captured). */
  stdout(): string;
  stdoutBytes(): Buffer;
  stderr(): string;
  /** Resolves with the first match of `pattern` on stdout; rejects on exit or timeout. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** The exit code, or the signal that ended it. */
  readonly exited: Promise<number | NodeJS.Signals>;
  running(): boolean;
  /** SIGTERM, then SIGKILL after the grace period; resolves once it is gone. */
  stop(graceMs?: number): Promise<number | NodeJS.Signals>;
}

interface Live {
  readonly process: TestProcess;
  readonly what: string;
  /** Whether the test asked it to go (stop(), or a signal of its own through `child.kill`). */
  stopAsked(): boolean;
}

function liveSet(): Set<Live> {
  const g = globalThis as unknown as Record<string, Set<Live> | undefined>;
  return (g[LIVE] ??= new Set());
}

export function startProcess(command: string, args: readonly string[], opts: ProcessOptions = {}): TestProcess {
  const [file, argv] = guardedCommand(command, args);
  const child = spawn(file, argv, {
    stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'],
    env: markedEnv(opts.env ?? process.env),
    ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
  });
  const what = [command, ...args].join(' ');
  if (child.pid !== undefined) recordProcess(child.pid, what);
  const out: Buffer[] = [];
  let err = '';
  child.stdout?.on('data', (d: Buffer) => out.push(d));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const stdout = () => Buffer.concat(out).toString();
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
    // Not spawned at all (no such command, without setpriv): no exit follows.
    child.once('error', () => child.pid === undefined && resolve(-1));
  });
  const running = () => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  let stopAsked = false;
  const stop = async (graceMs = opts.graceMs ?? GRACE_MS): Promise<number | NodeJS.Signals> => {
    stopAsked = true;
    if (running()) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => running() && child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    return exited;
  };
  const waitFor = async (pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = stdout().match(pattern);
      if (m) return m;
      if (!running() || Date.now() > deadline) {
        throw new Error(`${pattern} not seen (${running() ? 'timeout' : 'process exited'}) from ${what.slice(0, 300)};\nstdout:\n${stdout()}\nstderr:\n${err}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const proc: TestProcess = { child, pid: child.pid ?? -1, stdout, stdoutBytes: () => Buffer.concat(out), stderr: () => err, waitFor, exited, running, stop };
  const live: Live = { process: proc, what, stopAsked: () => stopAsked || child.killed };
  liveSet().add(live);
  void exited.then(() => liveSet().delete(live));
  return proc;
}

/** A command run to its end synchronously (builds, short scripts), guarded and marked like the others. */
export function runProcessSync(command: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): SpawnSyncReturns<string> {
  const [file, argv] = guardedCommand(command, args);
  return spawnSync(file, argv, { env: markedEnv(opts.env ?? process.env), encoding: 'utf8', maxBuffer: 64 << 20, ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}) });
}

function guardedCommand(command: string, args: readonly string[]): [string, string[]] {
  return existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'KILL', '--', command, ...args]] : [command, [...args]];
}

export interface ProcessResult {
  /** The exit code; 128 + the signal's number when a signal ended it (as a shell says). */
  readonly code: number;
  readonly stdout: string;
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
}

export interface RunOptions extends Omit<ProcessOptions, 'stdio'> {
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  readonly input?: string | Buffer;
  /** Stopped (SIGTERM, then SIGKILL) after this long; default 60 s. */
  readonly timeoutMs?: number;
  /** Called once it runs, e.g. to kill a namenode while it works. */
  readonly onSpawn?: (p: TestProcess) => void;
}

/** Runs a command to its end, as execFile does, on the fixture. */
export async function runProcess(command: string, args: readonly string[], opts: RunOptions = {}): Promise<ProcessResult> {
  const p = startProcess(command, args, { ...opts, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  const closed = new Promise((r) => p.child.once('close', r));
  if (opts.input !== undefined) p.child.stdin?.end(opts.input);
  opts.onSpawn?.(p);
  const timer = setTimeout(() => void p.stop(), opts.timeoutMs ?? 60_000);
  const end = await p.exited;
  clearTimeout(timer);
  if (p.child.pid !== undefined) await closed;
  const code = typeof end === 'number' ? end : 128 + (constants.signals[end] ?? 0);
  return { code, stdout: p.stdout(), stdoutBytes: p.stdoutBytes(), stderr: p.stderr() };
}

/** promisify(execFile) on the fixture: stdout and stderr of a run that must exit 0; rejects with both otherwise. */
export async function execProcess(command: string, args: readonly string[], opts: RunOptions = {}): Promise<{ stdout: string; stderr: string }> {
  const r = await runProcess(command, args, opts);
  if (r.code !== 0) {
    throw Object.assign(new Error(`${[command, ...args].join(' ').slice(0, 300)}: exit ${r.code}\n${r.stderr.slice(0, 2000)}`), { code: r.code, stdout: r.stdout, stderr: r.stderr });
  }
  return { stdout: r.stdout, stderr: r.stderr };
}

/**
 * The test environment's teardown, after every hook of the file: stops what
 * the file's tests left running, and records each it had not been asked to
 * stop as a leak.
 */
export async function stopLeftovers(fileGlobal: object, testPath: string): Promise<void> {
  const live = (fileGlobal as Record<string, Set<Live> | undefined>)[LIVE];
  if (!live) return;
  await Promise.all(
    [...live].map(async (l) => {
      if (!l.process.running()) return;
      if (!l.stopAsked()) recordLeak(testPath, l.process.pid, l.what);
      await l.process.stop();
    }),
  );
}
