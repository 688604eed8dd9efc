import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import type { Engine } from '../../schema/engine';
import { describeExit, type ExitStatus, type FleetMember } from '../fleet/fleet-member';
import { assertNoFleetRunning, removeFleetState } from '../fleet/fleet-state';
import { MemberLoss } from '../fleet/member-loss';
import { startFleet } from '../fleet/start-fleet';
import type { UpBlockStore } from '../fleet/block-store-plan';
import { Supervisor } from '../fleet/supervisor';
import { waitForTermination } from '../fleet/termination';
import { logTail } from '../local/log-file';
import { createLogger, logLevelOption } from '../logger';
import { parseDefine } from '../config-overrides';
import type { NamesystemConfig } from '../../namenode/namesystem-config';
import { parseNonNegativeInt, parsePort, parsePositiveInt } from '../options';
import { DEFAULT_GRPC_PORT, GRPC_PORT_ENV } from '../fleet/grpc-port';

interface UpFlags {
  dataDir: string;
  rpcPort: number;
  httpPort: number;
  grpcPort: number;
  namenodeRpcPort?: number;
  namenodeHttpPort?: number;
  namenodeGrpcPort?: number;
  namenodes: number;
  datanodes: number;
  mysql?: string;
  engine: Engine;
  logLevel: string;
  define?: Partial<NamesystemConfig>;
  blockStore: 'local' | 'swift';
  swiftUrl?: string;
  swiftCredentials?: string;
  swiftContainer: string;
  /** false with --no-redis. */
  redis: string | false | true;
  redisSentinels?: string;
}

/** Namenodes listen this far above the balancer's ports unless told otherwise. */
const NAMENODE_PORT_OFFSET = 100;

/**
 * `nnfleet up`: the whole local fleet in the foreground — the private
 * MariaDB (or an external database), the namespace, the namenodes, haproxy
 * in front of them, the datanodes — until SIGINT/SIGTERM, then everything
 * stopped in reverse order.
 */
export function upCommand(): Command {
  return new Command('up')
    .description('run a local fleet: MariaDB, namenodes behind haproxy, datanodes; Ctrl-C stops it all')
    .option('--data-dir <dir>', 'private MariaDB (DIR/mysql), datanode storage (DIR/datanodes), logs (DIR/logs)', './.nnfleet')
    .option('--rpc-port <port>', "the balancer's Hadoop IPC port, fs.defaultFS (0: any free port)", parsePort, 8020)
    .option('--http-port <port>', "the balancer's HTTP port (0: any free port)", parsePort, 9870)
    .addOption(new Option('--grpc-port <port>', "the balancer's gRPC port (0: any free port)").env(GRPC_PORT_ENV).argParser(parsePort).default(DEFAULT_GRPC_PORT))
    .option('--namenode-rpc-port <port>', `Hadoop IPC port of namenode 1, the next ones +1 each (default: --rpc-port + ${NAMENODE_PORT_OFFSET}; 0: any free ports)`, parsePort)
    .option('--namenode-http-port <port>', `HTTP port of namenode 1, the next ones +1 each (default: --http-port + ${NAMENODE_PORT_OFFSET})`, parsePort)
    .option('--namenode-grpc-port <port>', `gRPC port of namenode 1, the next ones +1 each (default: --grpc-port + ${NAMENODE_PORT_OFFSET})`, parsePort)
    .option('--namenodes <n>', 'namenode processes', parsePositiveInt, 2)
    .option('--datanodes <n>', 'datanode processes, storing under DIR/datanodes', parseNonNegativeInt, 3)
    .option('--mysql <urls>', 'use this database instead of the private MariaDB; several comma-separated URLs (SQL nodes of one cluster) spread the namenodes: namenode i uses URL i mod n')
    .addOption(new Option('--engine <engine>', 'table engine when formatting').choices(['innodb', 'ndb']).default('innodb'))
    .option('-D, --define <key=value>', 'a namesystem setting for every namenode, e.g. -D blockAccessTokens=false (repeatable)', parseDefine)
    .addOption(new Option('--block-store <kind>', 'where datanodes keep replicas: local disk, or Swift (a private all-in-one under DIR/swift unless --swift-credentials names an existing one)').choices(['local', 'swift']).default('local'))
    .option('--swift-url <url>', "an existing Swift's auth endpoint (TempAuth http://H:P/auth/v1.0 or Keystone http://H:P/v3); needs --swift-credentials")
    .option('--swift-credentials <file>', 'credentials of an existing Swift, as for `nnfleet datanode --swift-credentials` (mode 0600)')
    .option('--swift-container <name>', 'container holding the block objects', 'nnfleet-blocks')
    .option('--redis <url>', 'the metadata cache uses this Redis (redis://host:port) instead of a private redis-server under DIR/redis')
    .option('--redis-sentinels <list>', 'the metadata cache asks these Redis Sentinels (host:port,host:port) for master `redisSentinelName` (-D to change)')
    .option('--no-redis', 'no metadata cache: every read goes to the database')
    .addOption(logLevelOption())
    .action((flags: UpFlags) => runUp(flags));
}

async function runUp(flags: UpFlags): Promise<void> {
  const dataDir = resolve(flags.dataDir);
  assertNoFleetRunning(dataDir);
  const logger = createLogger('up', ownLogLevel(flags.logLevel));
  const loss = new MemberLoss();
  let fail: (why: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  const supervisor = new Supervisor(logger, (member, status) => {
    const judged = loss.lose(member.name);
    const why = unexpectedExit(member, status);
    if (judged.fatal !== undefined) return fail(new Error(`${why}\n${judged.fatal}: stopping the fleet`));
    process.stderr.write(`nnfleet up: ${why}\n`);
    say(`${member.name} lost (${describeExit(status)}); the fleet goes on with ${judged.left} ${judged.kind ?? 'member'}(s)`);
  });
  const terminated = waitForTermination();

  let exitCode = 0;
  const started = startFleet(
    {
      dataDir,
      rpcPort: flags.rpcPort,
      httpPort: flags.httpPort,
      grpcPort: flags.grpcPort,
      namenodeGrpcPort: flags.namenodeGrpcPort ?? derivedPort(flags.grpcPort),
      namenodeRpcPort: flags.namenodeRpcPort ?? derivedPort(flags.rpcPort),
      namenodeHttpPort: flags.namenodeHttpPort ?? derivedPort(flags.httpPort),
      namenodes: flags.namenodes,
      datanodes: flags.datanodes,
      engine: flags.engine,
      logLevel: flags.logLevel,
      ...(flags.mysql !== undefined ? { mysql: flags.mysql } : {}),
      ...(flags.define !== undefined ? { define: flags.define } : {}),
      blockStore: upBlockStore(flags),
      ...upRedis(flags),
    },
    { supervisor, loss, logger, say },
  );
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
  removeFleetState(dataDir);
  await supervisor.stopAll();
  // A fleet that lost a member served on, but whoever waits on it should know.
  if (loss.lost.length > 0) exitCode = 1;
  say(exitCode === 0 ? 'stopped' : `stopped after a failure${loss.lost.length > 0 ? ` (lost ${loss.lost.join(', ')})` : ''}`);
  process.exit(exitCode);
}

/** The metadata cache's Redis: a private one by default, an existing one, Sentinels, or none. */
function upRedis(flags: UpFlags): { redis?: 'private'; define?: Partial<NamesystemConfig> } {
  const define = flags.define ?? {};
  if (flags.redis === false) return { define: { ...define, redisUrl: '', redisSentinels: '' } };
  if (flags.redisSentinels !== undefined) return { define: { ...define, redisSentinels: flags.redisSentinels } };
  if (typeof flags.redis === 'string') return { define: { ...define, redisUrl: flags.redis } };
  if (define.redisUrl !== undefined || define.redisSentinels !== undefined) return {};
  return { redis: 'private' };
}

function upBlockStore(flags: UpFlags): UpBlockStore {
  if (flags.blockStore === 'local') {
    if (flags.swiftUrl !== undefined || flags.swiftCredentials !== undefined) throw new Error('--swift-url/--swift-credentials need --block-store swift');
    return { kind: 'local' };
  }
  if (flags.swiftUrl !== undefined && flags.swiftCredentials === undefined) throw new Error('--swift-url needs --swift-credentials (no secret is ever a flag)');
  if (flags.swiftCredentials === undefined) return { kind: 'swift', container: flags.swiftContainer };
  return {
    kind: 'swift',
    container: flags.swiftContainer,
    external: { credentialsFile: resolve(flags.swiftCredentials), ...(flags.swiftUrl !== undefined ? { authUrl: flags.swiftUrl } : {}) },
  };
}

/** The balancer's port plus the offset; 0 (any free port) stays 0. */
function derivedPort(balancerPort: number): number {
  return balancerPort === 0 ? 0 : balancerPort + NAMENODE_PORT_OFFSET;
}

function unexpectedExit(member: FleetMember, status: ExitStatus): string {
  const log = member.logPath ? `; last lines of ${member.logPath}:\n${logTail(member.logPath, 0, 20)}` : '';
  return `${member.name} (pid ${member.pid}) exited unexpectedly (${describeExit(status)})${log}`;
}

/**
 * At info, the status lines already say what `up` itself would log, and JSON
 * between them only hides them; the children's log files keep the level asked.
 */
function ownLogLevel(requested: string): string {
  return requested === 'info' ? 'warn' : requested;
}

/** Status lines go to stdout, one per event, for people and for scripts waiting on `ready`. */
function say(line: string): void {
  process.stdout.write(`${line}\n`);
}
