import { Command, Option } from 'commander';
import { fsck } from '../../namenode/fsck/fsck';
import { openSqlStorage } from '../../namenode/dal/sql/sql-storage';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { openMetadataDatabase } from '../fleet/metadata-database';
import { createLogger, logLevelOption } from '../logger';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fleetStatePath, readFleetState } from '../fleet/fleet-state';

interface FsckFlags {
  dataDir: string;
  mysql?: string;
  json?: boolean;
  logLevel: string;
}

/**
 * `nnfleet fsck`: checks the namespace's invariants on the tables and exits
 * 1 when any is broken, printing samples of the offending rows.
 */
export function fsckCommand(): Command {
  return new Command('fsck')
    .description('check the namespace invariants on the database (exit 1 when broken)')
    .addOption(new Option('--data-dir <dir>', 'the fleet whose private MariaDB is under DIR/mysql').default('./.nnfleet').conflicts('mysql'))
    .option('--mysql <url>', 'an external database, mysql://user:pass@host:port/db')
    .option('--json', 'print the report as JSON')
    .addOption(logLevelOption().default('warn'))
    .action((flags: FsckFlags) => runFsck(flags));
}

/** A running fleet's database (its fleet.json), else the private MariaDB started for the check. */
async function openDatabase(flags: FsckFlags) {
  const logger = createLogger('fsck', flags.logLevel);
  const running = flags.mysql === undefined && existsSync(fleetStatePath(resolve(flags.dataDir))) ? readFleetState(resolve(flags.dataDir)).databases[0] : undefined;
  const mysqlUrl = flags.mysql ?? running;
  return openMetadataDatabase({ dataDir: flags.dataDir, logger, ...(mysqlUrl !== undefined ? { mysqlUrl } : {}) });
}

async function runFsck(flags: FsckFlags): Promise<void> {
  const db = await openDatabase(flags);
  const storage = openSqlStorage(db.config, 2);
  try {
    const report = await fsck(storage.db, sqlRepositories.fsck);
    if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      process.stdout.write(`${report.inodes} inodes, ${report.reachable} reachable from /\n`);
      const sn = report.snapshots;
      process.stdout.write(
        `${sn.snapshottableDirs} snapshottable directories (${sn.withSnapshots} with snapshots), ${sn.liveSnapshots} snapshots, ${sn.pendingReclamation} awaiting reclamation, ${sn.inodeVersions} inode versions\n`,
      );
      for (const p of report.problems) process.stdout.write(`CORRUPT: ${p.invariant}: ${JSON.stringify(p.sample)}\n`);
      process.stdout.write(report.healthy ? 'The filesystem under path / is HEALTHY\n' : 'The filesystem under path / is CORRUPT\n');
    }
    process.exitCode = report.healthy ? 0 : 1;
  } finally {
    await storage.end();
    await db.stop();
  }
}
