import { Command } from 'commander';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePositiveInt } from '../options';
import { hotDirectoryText, measureHotDirectory } from './hot-directory';
import { startLocalFleet } from './local-fleet';
import { createMysqlPool } from '../../schema/mysql-config';
import { readRowLockWaits } from './row-lock-status';
import { runMain } from './run-main';

/**
 * `node dist/cli/bench/hot-directory-main.js --files 20000 --threads 16`:
 * the hot-directory measurement alone, on its own private MariaDB and
 * namenode (the same as `npm run bench`'s section, with more files).
 */
function program(): Command {
  return new Command('hot-directory')
    .description('creates/s into one directory versus spread over 100, and under a quota root versus without')
    .option('--files <n>', 'creates per run', parsePositiveInt, 20_000)
    .option('--threads <n>', 'client threads (and connections)', parsePositiveInt, 16)
    .option('--no-quota', 'skip the run under a quota root')
    .action(async (flags: { files: number; threads: number; quota: boolean }) => {
      const dir = mkdtempSync(join(tmpdir(), 'nnfleet-hotdir-'));
      const fleet = await startLocalFleet(dir);
      const db = createMysqlPool(fleet.mysql, { connectionLimit: 1 });
      try {
        const opts = { files: flags.files, threads: flags.threads, root: '/hot', quota: flags.quota, rowLocks: () => readRowLockWaits(db) };
        process.stdout.write(`${hotDirectoryText(await measureHotDirectory(fleet.address, fleet.superuser, opts))}\n`);
      } finally {
        await db.end();
        await fleet.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    });
}

if (require.main === module) runMain('hot-directory', program());
