import type { PrivateMariaDb } from '../../cli/local/mariadb-server';

export interface RunningServer {
  readonly server: PrivateMariaDb;
  readonly dir: string;
}

/**
 * Jest runs global setup and teardown in the same process but loads each
 * file in its own module registry, so the handle travels on globalThis.
 */
const KEY = Symbol.for('nnfleet.test.mariadb');

export function setRunningServer(running: RunningServer): void {
  (globalThis as Record<symbol, unknown>)[KEY] = running;
}

export function takeRunningServer(): RunningServer | undefined {
  const g = globalThis as Record<symbol, unknown>;
  const running = g[KEY] as RunningServer | undefined;
  delete g[KEY];
  return running;
}
