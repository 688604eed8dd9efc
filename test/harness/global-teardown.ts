import { rmSync } from 'node:fs';
import { takeRunningServer } from './running-server';

/** A default export because jest calls the module's default. */
export default async function globalTeardown(): Promise<void> {
  const running = takeRunningServer();
  if (!running) return;
  await running.server.stop();
  rmSync(running.dir, { recursive: true, force: true });
}
