import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrivateMariaDb } from '../../cli/local/mariadb-server';
import { setRunningServer } from './running-server';
import { publishTestServer } from './test-server-env';

/**
 * One private MariaDB for the whole jest run; each test file makes its own
 * database in it. A default export because jest calls the module's default.
 */
export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nnfleet-test-'));
  let server;
  try {
    server = await startPrivateMariaDb({ dir, port: 0, bufferPoolMb: 128, flushLogAtTrxCommit: 2 });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  setRunningServer({ server, dir });
  publishTestServer(server.config(''), dir);
}
