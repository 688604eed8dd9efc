import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Linux `perf record` of one process (cpu-clock, with call graphs) while a
 * phase runs: an on-CPU profile. V8's own sampler interrupts the thread
 * with a signal that is handled only when the thread runs again, so on a
 * busy box the time a thread sat preempted (typically right after a write
 * woke the database's thread) lands in the frame it resumes in; perf only
 * counts a sample where a CPU was running the thread. JavaScript frames
 * get their names from the /tmp/perf-PID.map the namenode writes under
 * `--perf-basic-prof`.
 */
export class PerfRecording {
  readonly #child: ChildProcess;
  readonly #exited: Promise<unknown>;
  readonly #pid: number;
  readonly dataPath: string;

  private constructor(child: ChildProcess, pid: number, dataPath: string) {
    this.#child = child;
    this.#exited = once(child, 'exit');
    this.#pid = pid;
    this.dataPath = dataPath;
  }

  static start(pid: number, dataPath: string): PerfRecording {
    const child = spawn('perf', ['record', '-q', '-e', 'cpu-clock', '-F', '999', '-g', '-p', String(pid), '-o', dataPath], { stdio: 'ignore' });
    child.on('error', () => undefined);
    return new PerfRecording(child, pid, dataPath);
  }

  /** Stops the recording and answers its summary: CPU by thread, then the main thread's top frames by self time. */
  async stop(top: number): Promise<string> {
    if (this.#child.pid === undefined) return 'perf: not started (is Linux perf installed?)';
    this.#child.kill('SIGINT');
    await this.#exited;
    const report = async (args: readonly string[]): Promise<string[]> => {
      const { stdout } = await run('perf', ['report', '-i', this.dataPath, '-q', '-g', 'none', '--percentage', 'relative', ...args], { maxBuffer: 64 << 20 });
      return stdout.split('\n').filter((l) => l.trim() !== '');
    };
    const threads = await report(['--no-children', '--sort', 'pid,comm']);
    const self = await report(['--no-children', '--tid', String(this.#pid), '--sort', 'dso,sym']);
    const inclusive = await report(['--children', '--tid', String(this.#pid), '--sort', 'sym']);
    return [
      `perf (on-CPU samples, ${this.dataPath}): CPU by thread (the main thread is ${this.#pid}; the others are V8's compiler and GC helpers and its profiler)`,
      ...threads.slice(0, 8),
      `main thread, top ${top} frames by self time (share of the main thread's on-CPU time)`,
      ...self.slice(0, top),
      `main thread, top ${top} JavaScript frames by inclusive time`,
      ...inclusive.filter((l) => l.includes('JS:')).slice(0, top),
    ].join('\n');
  }
}
