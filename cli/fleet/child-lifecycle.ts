import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { logSize, logTail } from '../local/log-file';
import { settlesWithin } from '../local/settles-within';
import { describeExit, type ExitStatus } from './fleet-member';

/** The log file of a fleet member, marked where this start begins; `offset` is where its tail starts. */
export function openMemberLog(logDir: string, name: string): { logPath: string; offset: number } {
  mkdirSync(logDir, { recursive: true });
  const logPath = join(logDir, `${name}.log`);
  const offset = logSize(logPath);
  appendFileSync(logPath, `--- nnfleet up: starting ${name} at ${new Date().toISOString()} ---\n`);
  return { logPath, offset };
}

/** How a child ended; resolves once, also when it could not be started at all. */
export function exitOf(child: ChildProcess): Promise<ExitStatus> {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
}

/** SIGTERM, then SIGKILL when it has not exited within `timeoutMs`. */
export function stopperOf(child: ChildProcess, exited: Promise<ExitStatus>, timeoutMs: number): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    child.kill('SIGTERM');
    if (await settlesWithin(exited, timeoutMs)) return;
    child.kill('SIGKILL');
    await exited;
  };
}

/**
 * Waits for a child to say it is ready (`listen` calls `ready`); an exit or
 * the timeout first stops it and fails with the tail of its log.
 */
export async function awaitStartup<T>(
  name: string,
  exited: Promise<ExitStatus>,
  stop: () => Promise<void>,
  log: { logPath: string; offset: number },
  timeoutMs: number,
  listen: (ready: (value: T) => void) => void,
): Promise<T> {
  try {
    return await new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} did not start listening within ${timeoutMs} ms`)), timeoutMs);
      listen((value) => {
        clearTimeout(timer);
        resolve(value);
      });
      void exited.then((status) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited during startup (${describeExit(status)})`));
      });
    });
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}; log ${log.logPath}:\n${logTail(log.logPath, log.offset)}`);
  }
}
