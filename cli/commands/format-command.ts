import { Command, Option } from 'commander';
import { userInfo } from 'node:os';
import type { Engine } from '../../schema/engine';
import { openMetadataDatabase } from '../fleet/metadata-database';
import { describeFormat, ensureNamespace } from '../fleet/namespace-setup';
import { createLogger, logLevelOption } from '../logger';

interface FormatFlags {
  dataDir: string;
  mysql?: string;
  clusterId?: string;
  engine: Engine;
  superuser: string;
  supergroup: string;
  logLevel: string;
}

/**
 * `nnfleet format`: create or upgrade a namespace. Safe to repeat; refuses a
 * database that holds another cluster's namespace or foreign tables.
 */
export function formatCommand(): Command {
  return new Command('format')
    .description('create or upgrade the namespace (refuses a database holding a different one)')
    .addOption(new Option('--data-dir <dir>', 'format the private MariaDB under DIR/mysql').default('./.nnfleet').conflicts('mysql'))
    .option('--mysql <url>', 'format an external database, mysql://user:pass@host:port/db')
    .option('--cluster-id <id>', 'cluster id of a new namespace; an existing one must match it')
    .addOption(new Option('--engine <engine>', 'table engine').choices(['innodb', 'ndb']).default('innodb'))
    .option('--superuser <user>', 'owner of the root directory', userInfo().username)
    .option('--supergroup <group>', 'group of the root directory', 'supergroup')
    .addOption(logLevelOption().default('warn'))
    .action((flags: FormatFlags) => runFormat(flags));
}

async function runFormat(flags: FormatFlags): Promise<void> {
  const logger = createLogger('format', flags.logLevel);
  const db = await openMetadataDatabase({
    dataDir: flags.dataDir,
    logger,
    ...(flags.mysql !== undefined ? { mysqlUrl: flags.mysql } : {}),
  });
  try {
    const result = await ensureNamespace(db.config, {
      engine: flags.engine,
      superuser: flags.superuser,
      supergroup: flags.supergroup,
      ...(flags.clusterId !== undefined ? { clusterId: flags.clusterId } : {}),
    });
    process.stdout.write(`${describeFormat(result)} database=${db.description}\n`);
  } finally {
    await db.stop();
  }
}
