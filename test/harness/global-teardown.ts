import { rmSync } from 'node:fs';
import { closeRunRegistry } from './run-registry';
import { takeRunningServer } from './running-server';

/**
 * Stops the run's MariaDB, then every process of the run still alive, and
 * fails the run naming each one that a test file left running or that
 * outlived everything (jest exits non-zero when global teardown throws).
 * A default export because jest calls the module's default.
 */
export default async function globalTeardown(): Promise<void> {
  const running = takeRunningServer();
  if (running) {
    await running.server.stop();
    rmSync(running.dir, { recursive: true, force: true });
  }
  const left = closeRunRegistry();
  if (left.length > 0) throw new Error(`processes of the run were left running (now stopped):\n${left.join('\n')}`);
}
