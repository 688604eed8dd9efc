import { join } from 'node:path';
import { startProcess, type TestProcess } from '../harness/process-fixture';
import { GRPC_PORT_ENV } from '../../cli/fleet/grpc-port';

/** The built CLI: tests run after `npm run build` (pretest). */
export const CLI_MAIN = join(__dirname, '../../dist/cli/main.js');

/** A running `nnfleet` command: a process of the test fixture (process-fixture.ts). */
export type CliRun = TestProcess;

/** `nnfleet ARGS` as a process of its own, `env` added to this process's environment. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  // gRPC on any free port unless a test asks otherwise: concurrent runs never fight over 8030.
  return startProcess(process.execPath, [CLI_MAIN, ...args], { env: { [GRPC_PORT_ENV]: '0', ...process.env, ...env } });
}

/** Whether a pid names a live process (a reaped one is gone). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Polls until none of `pids` is alive: a child reaped by its parent may lag the parent's exit by a moment. */
export async function expectAllGone(pids: readonly number[], timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(pids.filter(isAlive)).toEqual([]);
}
