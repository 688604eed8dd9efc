import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateMariaDb } from '../../cli/local/mariadb-server';
import { openRunRegistry, recordProcess } from './run-registry';
import { setRunningServer } from './running-server';
import { publishTestServer } from './test-server-env';

/**
 * One private MariaDB for the whole jest run; each test file makes its own
 * database in it. First the run's process registry, so that the server is
 * recorded in it and a killed run's reaper stops it too. A default export
 * because jest calls the module's default.
 */
export default async function globalSetup(): Promise<void> {
  openRunRegistry();
  const dir = mkdtempSync(join(tmpdir(), 'nnfleet-test-'));
  let server;
  try {
    server = await startPrivateMariaDb({ dir, port: 0, bufferPoolMb: 128, flushLogAtTrxCommit: 2 });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  recordProcess(server.pid, 'the run\'s MariaDB');
  setRunningServer({ server, dir });
  publishTestServer(server.config(''), dir);
}
