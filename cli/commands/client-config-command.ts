import { Command } from 'commander';
import { resolve } from 'node:path';
import { parseMysqlUrl } from '../../schema/mysql-config';
import { renderClientConfig, writeConfigFiles } from '../fleet/client-config';
import { readFleetState, type FleetState } from '../fleet/fleet-state';
import { readLiveNamenodes } from '../fleet/live-namenodes';
import { splitMysqlUrls } from '../fleet/mysql-url';

interface ClientConfigFlags {
  dataDir: string;
  mysql?: string;
  out?: string;
  nameservice: string;
  balancer?: string;
}

/**
 * `nnfleet client-config`: the core-site.xml / hdfs-site.xml a Hadoop client
 * needs for a running fleet. The namenodes come from their heartbeat rows,
 * so namenodes started anywhere on the database are listed; the balancer
 * comes from the state file of the `up` running from the data dir.
 */
export function clientConfigCommand(): Command {
  return new Command('client-config')
    .description('print (or write to --out DIR) core-site.xml and hdfs-site.xml for a running fleet')
    .option('--data-dir <dir>', 'the data dir of a running `nnfleet up` (its fleet.json)', './.nnfleet')
    .option('--mysql <url>', 'read the live namenodes from this database instead of the fleet state')
    .option('--out <dir>', 'write core-site.xml, hdfs-site.xml and core-site-failover.xml here instead of printing')
    .option('--nameservice <name>', 'the HA nameservice listing every namenode', 'nnfleet')
    .option('--balancer <host:port>', "the balancer's Hadoop IPC address (default: the fleet state's)")
    .action((flags: ClientConfigFlags, cmd: Command) => runClientConfig(flags, cmd.getOptionValueSource('dataDir') !== 'default'));
}

async function runClientConfig(flags: ClientConfigFlags, dataDirGiven: boolean): Promise<void> {
  const dataDir = resolve(flags.dataDir);
  // With --mysql the fleet state is optional: it only adds the balancer.
  const state = flags.mysql === undefined || dataDirGiven ? readFleetState(dataDir) : tryReadFleetState(dataDir);
  const database = flags.mysql !== undefined ? splitMysqlUrls(flags.mysql)[0] : state?.databases[0];
  if (database === undefined) throw new Error('no database: pass --mysql URL');
  const namenodes = await readLiveNamenodes(parseMysqlUrl(database));
  if (namenodes.length === 0) throw new Error('no live namenodes in the database: is the fleet running?');
  const balancer = flags.balancer ?? state?.balancer.rpc;
  const files = renderClientConfig({ nameservice: flags.nameservice, namenodes, ...(balancer !== undefined ? { balancer } : {}) });
  if (flags.out !== undefined) {
    for (const path of writeConfigFiles(resolve(flags.out), files)) process.stdout.write(`wrote ${path}\n`);
    return;
  }
  // `head`-style separators: three documents in one stream, each split off by its header line.
  process.stdout.write(files.map((f) => `==> ${f.name} <==\n${f.content}`).join('\n'));
}

function tryReadFleetState(dataDir: string): FleetState | undefined {
  try {
    return readFleetState(dataDir);
  } catch {
    return undefined;
  }
}
