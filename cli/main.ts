import { Command } from 'commander';
import { adminCommand } from './commands/admin-command';
import { clientConfigCommand } from './commands/client-config-command';
import { datanodeCommand } from './commands/datanode-command';
import { formatCommand } from './commands/format-command';
import { fsckCommand } from './commands/fsck-command';
import { registerLoadgenCommand } from './commands/loadgen-command';
import { namenodeCommand } from './commands/namenode-command';
import { upCommand } from './commands/up-command';

export function buildProgram(): Command {
  return registerLoadgenCommand(new Command('nnfleet'))
    .description('A fleet of stateless HDFS NameNodes keeping the namespace in MySQL Cluster, MariaDB or Galera')
    .addCommand(upCommand())
    .addCommand(namenodeCommand())
    .addCommand(formatCommand())
    .addCommand(datanodeCommand())
    .addCommand(clientConfigCommand())
    .addCommand(fsckCommand())
    .addCommand(adminCommand())
    .showHelpAfterError();
}

/** Runs the command line; `bin/nnfleet` and `node dist/cli/main.js` both come here. */
export async function main(): Promise<void> {
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (err) {
    process.stderr.write(`nnfleet: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

if (require.main === module) void main();
