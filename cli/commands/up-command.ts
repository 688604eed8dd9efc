import { Command, Option } from 'commander';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Engine } from '../../schema/engine';
import { describeExit, type ExitStatus, type FleetMember } from '../fleet/fleet-member';
import { openMetadataDatabase } from '../fleet/metadata-database';
import { formatMysqlUrl } from '../fleet/mysql-url';
import { spawnNamenode, type NamenodeChild } from '../fleet/namenode-child';
import { describeFormat, ensureNamespace } from '../fleet/namespace-setup';
import { Supervisor } from '../fleet/supervisor';
import { waitForTermination } from '../fleet/termination';
import { waitHealthy } from '../fleet/wait-healthy';
import { logTail } from '../local/log-file';
import { createLogger, logLevelOption } from '../logger';
import { parseNonNegativeInt, parsePort, parsePositiveInt } from '../options';

interface UpFlags {
  dataDir: string;
  rpcPort: number;
  httpPort: number;
  namenodes: number;
  datanodes: number;
  mysql?: string;
  engine: Engine;
  logLevel: string;
}

/** Local fleets bind loopback only: no authentication stands in front of them. */
const HOST = '127.0.0.1';
const HEALTH_TIMEOUT_MS = 60_000;

/**
 * `nnfleet up`: the whole local fleet in the foreground — the private
 * MariaDB (or an external database), the namespace, the namenodes — until
 * SIGINT/SIGTERM, then everything stopped in reverse order.
 */
export function upCommand(): Command {
  return new Command('up')
    .description('run a local fleet: private MariaDB under the data dir, namenodes; Ctrl-C stops it all')
    .option('--data-dir <dir>', 'private MariaDB (DIR/mysql) and logs (DIR/logs)', './.nnfleet')
    .option('--rpc-port <port>', 'Hadoop IPC port of the first namenode (0: any free port)', parsePort, 8020)
    .option('--http-port <port>', 'HTTP port of the first namenode (0: any free port)', parsePort, 9870)
    .option('--namenodes <n>', 'namenode processes; each further one takes the next ports', parsePositiveInt, 1)
    .option('--datanodes <n>', 'datanode processes (not in this build yet)', parseNonNegativeInt, 0)
    .option('--mysql <url>', 'use this database instead of the private MariaDB')
    .addOption(new Option('--engine <engine>', 'table engine when formatting').choices(['innodb', 'ndb']).default('innodb'))
    .addOption(logLevelOption())
    .action((flags: UpFlags) => runUp(flags));
}

async function runUp(flags: UpFlags): Promise<void> {
  const dataDir = resolve(flags.dataDir);
  const logger = createLogger('up', ownLogLevel(flags.logLevel));
  let fail: (why: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  const supervisor = new Supervisor(logger, (member, status) => fail(new Error(unexpectedExit(member, status))));
  const terminated = waitForTermination();

  let exitCode = 0;
  const started = startFleet(flags, dataDir, supervisor, logger);
  // A signal may win the race; startup then fails as its members are stopped, and that is expected.
  void started.catch(() => undefined);
  void failed.catch(() => undefined);
  try {
    const signal = await Promise.race([started.then(() => Promise.race([terminated, failed])), terminated, failed]);
    say(`${signal}: stopping`);
  } catch (err) {
    process.stderr.write(`nnfleet up: ${(err as Error).message}\n`);
    exitCode = 1;
  }
  await supervisor.stopAll();
  say(exitCode === 0 ? 'stopped' : 'stopped after a failure');
  process.exit(exitCode);
}

async function startFleet(flags: UpFlags, dataDir: string, supervisor: Supervisor, logger: Logger): Promise<void> {
  const db = await openMetadataDatabase({
    dataDir,
    logger,
    ...(flags.mysql !== undefined ? { mysqlUrl: flags.mysql } : {}),
  });
  if (db.pid === undefined) {
    say(`database ready ${db.description}`);
  } else {
    supervisor.add({ name: 'mariadb', pid: db.pid, stop: () => db.stop() });
    say(`database ready ${db.description} pid=${db.pid}`);
  }

  const format = await ensureNamespace(db.config, {
    engine: flags.engine,
    superuser: userInfo().username,
    supergroup: 'supergroup',
  });
  say(describeFormat(format));

  const namenodes: NamenodeChild[] = [];
  for (let i = 0; i < flags.namenodes; i++) {
    if (supervisor.stopping) return;
    namenodes.push(await startHealthyNamenode(i, flags, dataDir, formatMysqlUrl(db.config), supervisor));
  }
  if (flags.datanodes > 0) {
    say(`datanodes: ${flags.datanodes} requested, but datanodes are not part of this build yet; continuing without them`);
  }

  const first = namenodes[0];
  if (!first) return;
  for (const nn of namenodes.slice(1)) say(`${nn.name} hdfs://${HOST}:${nn.rpcPort} http://${HOST}:${nn.httpPort}`);
  const defaultFs = `hdfs://${HOST}:${first.rpcPort}`;
  say(`ready ${defaultFs} http://${HOST}:${first.httpPort} fs.defaultFS=${defaultFs}`);
  say(`try: HADOOP_NAMENODE=${HOST}:${first.rpcPort} .tools/bin/hdfs ls /   (Ctrl-C stops the fleet)`);
}

/** Namenode i, on the i-th port after the first (0 stays 0: any free port), answering /healthz. */
async function startHealthyNamenode(
  i: number,
  flags: UpFlags,
  dataDir: string,
  mysqlUrl: string,
  supervisor: Supervisor,
): Promise<NamenodeChild> {
  const name = `namenode-${i + 1}`;
  const child = await spawnNamenode({
    name,
    host: HOST,
    rpcPort: flags.rpcPort === 0 ? 0 : flags.rpcPort + i,
    httpPort: flags.httpPort === 0 ? 0 : flags.httpPort + i,
    mysqlUrl,
    logDir: join(dataDir, 'logs'),
    logLevel: flags.logLevel,
  });
  supervisor.add(child);
  say(`${name} pid=${child.pid} listening rpc=${HOST}:${child.rpcPort} http=${HOST}:${child.httpPort} log=${child.logPath}`);
  try {
    await waitHealthy(`http://${HOST}:${child.httpPort}/healthz`, child.exited, HEALTH_TIMEOUT_MS);
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}; log ${child.logPath}:\n${logTail(child.logPath)}`);
  }
  say(`${name} healthy`);
  return child;
}

function unexpectedExit(member: FleetMember, status: ExitStatus): string {
  const log = member.logPath ? `; last lines of ${member.logPath}:\n${logTail(member.logPath, 0, 20)}` : '';
  return `${member.name} (pid ${member.pid}) exited unexpectedly (${describeExit(status)})${log}`;
}

/**
 * At info, the status lines already say what `up` itself would log, and JSON
 * between them only hides them; the namenodes' log files keep the level asked.
 */
function ownLogLevel(requested: string): string {
  return requested === 'info' ? 'warn' : requested;
}

/** Status lines go to stdout, one per event, for people and for scripts waiting on `ready`. */
function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
