import { Command, Option } from 'commander';
import { userInfo } from 'node:os';
import type { NamesystemConfig } from '../../namenode/namesystem-config';
import { startNamenode } from '../../namenode/namenode-process';
import { parseMysqlUrl } from '../../schema/mysql-config';
import { MYSQL_URL_ENV } from '../fleet/namenode-child';
import type { ListeningMessage } from '../fleet/listening-message';
import { waitForTermination } from '../fleet/termination';
import { createLogger, logLevelOption } from '../logger';
import { parsePort, parsePositiveInt } from '../options';
import { parseDefine } from '../config-overrides';
import { loadSwiftCredentials } from '../../datanode/store/swift-credentials';
import { SWIFT_DEFAULTS } from '../../datanode/store/swift-block-store';
import { ORPHAN_SWEEP_DEFAULTS, SharedOrphanSweeper } from '../../namenode/leader/duties/shared-orphans';
import { swiftOrphanStore } from './swift-orphan-store';
import { readFileSync } from 'node:fs';
import type { GrpcTls } from '../../namenode/grpc/grpc-server';
import { DEFAULT_GRPC_PORT, GRPC_PORT_ENV } from '../fleet/grpc-port';

interface NamenodeFlags {
  mysql: string;
  host: string;
  rpcPort: number;
  httpPort: number;
  grpcPort: number;
  grpcTlsCert?: string;
  grpcTlsKey?: string;
  superuser: string;
  supergroup: string;
  blockSize?: number;
  replication?: number;
  minBlockSize?: number;
  groupOverrides?: string;
  poolSize?: number;
  define?: Partial<NamesystemConfig>;
  logLevel: string;
  swiftCredentials?: string;
  swiftAuthUrl?: string;
  swiftContainer: string;
  orphanGraceMs: number;
  orphanSweepIntervalMs: number;
}

/** `nnfleet namenode`: one namenode in the foreground until SIGINT/SIGTERM. */
export function namenodeCommand(): Command {
  return new Command('namenode')
    .description('run one namenode on a formatted database until SIGINT/SIGTERM')
    .addOption(new Option('--mysql <url>', 'metadata database, mysql://user:pass@host:port/db').env(MYSQL_URL_ENV).makeOptionMandatory())
    .option('--host <addr>', 'address to bind', '127.0.0.1')
    .option('--rpc-port <port>', 'Hadoop IPC port (0: any free port)', parsePort, 8020)
    .option('--http-port <port>', 'HTTP port for /healthz, /metrics (0: any free port)', parsePort, 9870)
    .addOption(new Option('--grpc-port <port>', 'gRPC port: nnfleet.admin.v1, health, reflection (0: any free port)').env(GRPC_PORT_ENV).argParser(parsePort).default(DEFAULT_GRPC_PORT))
    .option('--grpc-tls-cert <file>', 'PEM certificate chain: the gRPC port speaks TLS (with --grpc-tls-key)')
    .option('--grpc-tls-key <file>', 'PEM private key of --grpc-tls-cert')
    .option('--superuser <user>', 'HDFS superuser (Hadoop: the user running the namenode)', userInfo().username)
    .option('--supergroup <group>', 'dfs.permissions.superusergroup', 'supergroup')
    .option('--block-size <bytes>', 'dfs.blocksize', parsePositiveInt)
    .option('--replication <n>', 'dfs.replication', parsePositiveInt)
    .option('--min-block-size <bytes>', 'dfs.namenode.fs-limits.min-block-size', parsePositiveInt)
    .option('--group-overrides <map>', 'static user→groups mapping, e.g. "alice=staff,dev;bob="')
    .option('--pool-size <n>', 'database connections', parsePositiveInt)
    .option('-D, --define <key=value>', 'any namesystem setting, e.g. -D leaseHardLimitMs=2000 (repeatable)', parseDefine)
    .option('--swift-credentials <file>', "the gateways' Swift (credentials file as for `nnfleet datanode`): while leading, sweep its container of objects no block references")
    .option('--swift-auth-url <url>', "Swift's auth endpoint, overriding the credentials' authUrl")
    .option('--swift-container <name>', 'the container of the block objects', 'nnfleet-blocks')
    .option('--orphan-grace-ms <ms>', 'an unreferenced object younger than this is kept (its upload may be in flight)', parsePositiveInt, ORPHAN_SWEEP_DEFAULTS.graceMs)
    .option('--orphan-sweep-interval-ms <ms>', 'a sweep of the container starts at most this often', parsePositiveInt, ORPHAN_SWEEP_DEFAULTS.intervalMs)
    .addOption(logLevelOption())
    .action((flags: NamenodeFlags) => runNamenode(flags));
}

async function runNamenode(flags: NamenodeFlags): Promise<void> {
  const logger = createLogger('namenode', flags.logLevel);
  const config: Partial<NamesystemConfig> = {
    superuser: flags.superuser,
    supergroup: flags.supergroup,
    ...(flags.blockSize !== undefined ? { blockSize: flags.blockSize } : {}),
    ...(flags.replication !== undefined ? { replication: flags.replication } : {}),
    ...(flags.minBlockSize !== undefined ? { minBlockSize: flags.minBlockSize } : {}),
    ...flags.define,
  };
  // Listen for signals before starting, so one arriving mid-start still stops cleanly.
  const terminated = waitForTermination();
  const orphanStore = flags.swiftCredentials !== undefined ? openOrphanStore(flags, flags.swiftCredentials) : undefined;
  const namenode = await startNamenode({
    mysql: parseMysqlUrl(flags.mysql),
    host: flags.host,
    rpcPort: flags.rpcPort,
    httpPort: flags.httpPort,
    grpcPort: flags.grpcPort,
    grpcTls: grpcTlsOf(flags),
    config,
    logger,
    ...(flags.groupOverrides !== undefined ? { groupOverrides: flags.groupOverrides } : {}),
    ...(flags.poolSize !== undefined ? { poolSize: flags.poolSize } : {}),
    ...(orphanStore ? { orphanSweeper: new SharedOrphanSweeper(orphanStore, { graceMs: flags.orphanGraceMs, intervalMs: flags.orphanSweepIntervalMs }) } : {}),
  });
  process.stdout.write(
    `namenode listening rpc=${flags.host}:${namenode.rpcPort} http=${flags.host}:${namenode.httpPort}\nnamenode grpc=${flags.host}:${namenode.grpcPort ?? 0}\n`,
  );

  // Spawned by `nnfleet up`: report the ports, and stop with the parent.
  const disconnected = new Promise<string>((resolve) => process.once('disconnect', () => resolve('parent gone')));
  if (process.send) {
    const msg: ListeningMessage = { type: 'listening', rpcPort: namenode.rpcPort, httpPort: namenode.httpPort, ...(namenode.grpcPort !== undefined ? { grpcPort: namenode.grpcPort } : {}) };
    process.send(msg);
  }

  const reason = await Promise.race([terminated, disconnected]);
  logger.info({ reason }, 'stopping');
  try {
    await namenode.stop();
    orphanStore?.close();
  } catch (err) {
    logger.error({ err }, 'namenode did not stop cleanly');
    process.exit(1);
  }
  process.exit(0);
}

function grpcTlsOf(flags: NamenodeFlags): GrpcTls | undefined {
  if ((flags.grpcTlsCert === undefined) !== (flags.grpcTlsKey === undefined)) throw new Error('--grpc-tls-cert and --grpc-tls-key go together');
  if (flags.grpcTlsCert === undefined || flags.grpcTlsKey === undefined) return undefined;
  return { certPem: readFileSync(flags.grpcTlsCert), keyPem: readFileSync(flags.grpcTlsKey) };
}

function openOrphanStore(flags: NamenodeFlags, file: string): ReturnType<typeof swiftOrphanStore> {
  const credentials = loadSwiftCredentials(file);
  return swiftOrphanStore(flags.swiftAuthUrl !== undefined ? { ...credentials, authUrl: flags.swiftAuthUrl } : credentials, flags.swiftContainer, SWIFT_DEFAULTS.idleTimeoutMs);
}
