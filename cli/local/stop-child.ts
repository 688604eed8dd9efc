import type { ChildProcess } from 'node:child_process';
import type { ExitStatus } from '../fleet/fleet-member';
import { settlesWithin } from './settles-within';

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`; resolves once it is gone (at once if it already is). */
export async function stopChild(child: ChildProcess, exited: Promise<ExitStatus>, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill('SIGTERM');
  if (!(await settlesWithin(exited, graceMs))) {
    child.kill('SIGKILL');
    await exited;
  }
}
