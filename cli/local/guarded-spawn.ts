import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';

const SETPRIV = '/usr/bin/setpriv';

/**
 * Spawns `command` so that the kernel sends it SIGTERM when this process
 * dies, however it dies (SIGKILL included): `setpriv --pdeathsig` sets the
 * parent-death signal and then execs the command, so the pid is the
 * command's own. Without it a killed `nnfleet up` would leave haproxy,
 * mariadbd or datanodes running with nobody to stop them. Where setpriv is
 * missing (not Linux) the command runs plainly.
 */
export function spawnGuarded(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  if (!existsSync(SETPRIV)) return spawn(command, [...args], options);
  return spawn(SETPRIV, ['--pdeathsig', 'TERM', '--', command, ...args], options);
}
