import { readFileSync, unlinkSync } from 'node:fs';

/**
 * Refuses when the pid file names a live mariadbd: two servers on one datadir
 * corrupt it. A pid file left by a killed server, or naming a pid that was
 * reused by something else, is removed.
 */
export function assertNoServerRunning(pidFile: string, dir: string): void {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
  } catch {
    return;
  }
  if (Number.isInteger(pid) && pid > 0 && isMariaDbProcess(pid)) {
    throw new Error(`a MariaDB server (pid ${pid}) already runs on ${dir}; stop it or use another directory`);
  }
  unlinkSync(pidFile);
}

function isMariaDbProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive, owned by someone else — assume the worst.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /mariadbd|mysqld/.test(cmdline);
  } catch {
    return true;
  }
}
