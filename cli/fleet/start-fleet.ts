import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Engine } from '../../schema/engine';
import { parseMysqlUrl } from '../../schema/mysql-config';
import { startHaproxy, type RunningHaproxy } from '../local/haproxy';
import { logTail } from '../local/log-file';
import { startRedisServer } from '../local/redis-server';
import { prepareBlockStore, type UpBlockStore } from './block-store-plan';
import { renderClientConfig, writeConfigFiles } from './client-config';
import { spawnDatanode, type DatanodeChild } from './datanode-child';
import { writeDatanodeKeyFile } from './datanode-key-file';
import type { NamesystemConfig } from '../../namenode/namesystem-config';
import { writeFleetState } from './fleet-state';
import { readLiveNamenodes } from './live-namenodes';
import type { MemberKind, MemberLoss } from './member-loss';
import { openMetadataDatabase } from './metadata-database';
import { formatMysqlUrl, splitMysqlUrls, withoutPassword } from './mysql-url';
import { spawnNamenode, type NamenodeChild } from './namenode-child';
import { describeFormat, ensureNamespace } from './namespace-setup';
import type { Supervisor } from './supervisor';
import { waitDatanodesLive } from './wait-datanodes-live';
import { waitHealthy } from './wait-healthy';
import type { FleetMember } from './fleet-member';

export interface FleetPlan {
  readonly dataDir: string;
  /** The balancer's frontends; 0 picks free ports. */
  readonly rpcPort: number;
  readonly httpPort: number;
  readonly grpcPort: number;
  /** Namenode i listens on these + i; 0 lets each pick free ports. */
  readonly namenodeRpcPort: number;
  readonly namenodeHttpPort: number;
  readonly namenodeGrpcPort: number;
  readonly namenodes: number;
  readonly datanodes: number;
  /** One URL or several, comma-separated (namenode i uses URL i mod n); absent: the private MariaDB. */
  readonly mysql?: string;
  readonly engine: Engine;
  readonly logLevel: string;
  /** `-D` settings for every namenode (blockAccessTokens=false also reaches the datanodes). */
  readonly define?: Partial<NamesystemConfig>;
  /** Where the datanodes keep replicas; absent: local disk under DIR/datanodes. */
  readonly blockStore?: UpBlockStore;
  /** 'private': start a redis-server for the metadata cache under DIR/redis; absent: as `define` says (no cache unless redisUrl/redisSentinels). */
  readonly redis?: 'private';
}

/** What `up` reports on: status lines go to `say`, members to the supervisor, their kinds to `loss`. */
export interface FleetContext {
  readonly supervisor: Supervisor;
  readonly loss: MemberLoss;
  readonly logger: Logger;
  say(line: string): void;
}

/** Local fleets bind loopback only: no authentication stands in front of them. */
const HOST = '127.0.0.1';
const HEALTH_TIMEOUT_MS = 60_000;
const DATANODES_LIVE_TIMEOUT_MS = 60_000;

/**
 * Brings the fleet up in dependency order — database, namespace, namenodes,
 * haproxy in front of them, datanodes reporting to every namenode — so the
 * supervisor, stopping in reverse, stops each before what it needs.
 */
export async function startFleet(fleetPlan: FleetPlan, ctx: FleetContext): Promise<void> {
  let plan = fleetPlan;
  const { say } = ctx;
  const db = await openMetadataDatabase({
    dataDir: plan.dataDir,
    logger: ctx.logger,
    ...(plan.mysql !== undefined ? { mysqlUrl: firstUrl(plan.mysql) } : {}),
  });
  if (db.pid === undefined) {
    say(`database ready ${db.description}`);
  } else {
    add(ctx, 'database', { name: 'mariadb', pid: db.pid, stop: () => db.stop() });
    say(`database ready ${db.description} pid=${db.pid}`);
  }
  const store = await prepareBlockStore(plan.blockStore ?? { kind: 'local' }, plan.dataDir);
  if (store.member) add(ctx, 'object-store', store.member);
  if (store.line !== undefined) say(store.line);
  if (ctx.supervisor.stopping) return;
  plan = await withPrivateRedis(plan, ctx);
  if (ctx.supervisor.stopping) return;
  const urls = plan.mysql !== undefined ? splitMysqlUrls(plan.mysql) : [formatMysqlUrl(db.config)];

  const format = await ensureNamespace(db.config, { engine: plan.engine, superuser: userInfo().username, supergroup: 'supergroup' });
  say(describeFormat(format));
  const keyFile = join(plan.dataDir, 'datanode.key');
  writeDatanodeKeyFile(keyFile, format.membershipSecret);

  const namenodes: NamenodeChild[] = [];
  for (let i = 0; i < plan.namenodes; i++) {
    if (ctx.supervisor.stopping) return;
    namenodes.push(await startHealthyNamenode(i, plan, urls[i % urls.length] ?? '', store.namenodeArgs, ctx));
  }
  if (ctx.supervisor.stopping) return;

  const haproxy = await startHaproxy({
    dir: join(plan.dataDir, 'haproxy'),
    host: HOST,
    rpcPort: plan.rpcPort,
    httpPort: plan.httpPort,
    grpcPort: plan.grpcPort,
    namenodes: namenodes.map((nn) => ({ name: nn.name, host: HOST, rpcPort: nn.rpcPort, httpPort: nn.httpPort, grpcPort: nn.grpcPort })),
  });
  add(ctx, 'balancer', haproxy);
  say(`haproxy pid=${haproxy.pid} rpc=${HOST}:${haproxy.rpcPort} http=${HOST}:${haproxy.httpPort} grpc=${HOST}:${haproxy.grpcPort} over ${namenodes.map((nn) => nn.name).join(',')} log=${haproxy.logPath}`);

  const datanodes = await startDatanodes(plan, namenodes, keyFile, store.datanodeArgs, ctx);
  if (ctx.supervisor.stopping) return;

  const clientConfigDir = join(plan.dataDir, 'client');
  const balancer = `${HOST}:${haproxy.rpcPort}`;
  const files = renderClientConfig({ nameservice: 'nnfleet', balancer, balancerHttp: `${HOST}:${haproxy.httpPort}`, namenodes: await readLiveNamenodes(db.config) });
  const written = writeConfigFiles(clientConfigDir, files);
  say(`client config written: ${written.join(' ')} (again: nnfleet client-config --data-dir ${plan.dataDir})`);
  writeFleetState(plan.dataDir, {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    balancer: { rpc: balancer, http: `${HOST}:${haproxy.httpPort}`, grpc: `${HOST}:${haproxy.grpcPort}` },
    databases: urls.map(withoutPassword),
    namenodes: namenodes.map((nn) => ({ name: nn.name, pid: nn.pid, rpc: `${HOST}:${nn.rpcPort}`, http: `${HOST}:${nn.httpPort}`, grpc: `${HOST}:${nn.grpcPort}` })),
    datanodes: datanodes.map((dn) => ({ name: dn.name, pid: dn.pid, xfer: dn.xferAddress, uuid: dn.uuid })),
    clientConfigDir,
  });
  sayReady(haproxy, clientConfigDir, say);
}

async function startHealthyNamenode(i: number, plan: FleetPlan, mysqlUrl: string, storeArgs: readonly string[], ctx: FleetContext): Promise<NamenodeChild> {
  const name = `namenode-${i + 1}`;
  const child = await spawnNamenode({
    name,
    host: HOST,
    rpcPort: plan.namenodeRpcPort === 0 ? 0 : plan.namenodeRpcPort + i,
    httpPort: plan.namenodeHttpPort === 0 ? 0 : plan.namenodeHttpPort + i,
    grpcPort: plan.namenodeGrpcPort === 0 ? 0 : plan.namenodeGrpcPort + i,
    mysqlUrl,
    logDir: join(plan.dataDir, 'logs'),
    logLevel: plan.logLevel,
    extraArgs: [...Object.entries(plan.define ?? {}).flatMap(([k, v]) => ['-D', `${k}=${String(v)}`]), ...storeArgs],
  });
  add(ctx, 'namenode', child);
  const db = parseMysqlUrl(mysqlUrl);
  ctx.say(`${name} pid=${child.pid} listening rpc=${HOST}:${child.rpcPort} http=${HOST}:${child.httpPort} grpc=${HOST}:${child.grpcPort} db=${db.host}:${db.port} log=${child.logPath}`);
  try {
    await waitHealthy(`http://${HOST}:${child.httpPort}/healthz`, child.exited, HEALTH_TIMEOUT_MS);
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}; log ${child.logPath}:\n${logTail(child.logPath)}`);
  }
  ctx.say(`${name} healthy`);
  return child;
}

/** Started together (each is a Node process that takes a moment to boot), then awaited until the namenodes see them live. */
async function startDatanodes(plan: FleetPlan, namenodes: readonly NamenodeChild[], keyFile: string, storeArgs: readonly string[], ctx: FleetContext): Promise<DatanodeChild[]> {
  if (plan.datanodes === 0) return [];
  const addresses = namenodes.map((nn) => `${HOST}:${nn.rpcPort}`);
  const started = await Promise.allSettled(
    Array.from({ length: plan.datanodes }, (_, i) =>
      spawnDatanode({
        name: `datanode-${i + 1}`,
        host: HOST,
        dataDir: join(plan.dataDir, 'datanodes', `dn${i + 1}`),
        namenodes: addresses,
        logDir: join(plan.dataDir, 'logs'),
        logLevel: plan.logLevel,
        keyFile,
        blockAccessTokens: plan.define?.blockAccessTokens ?? true,
        extraArgs: storeArgs,
      }),
    ),
  );
  const datanodes: DatanodeChild[] = [];
  for (const s of started) {
    if (s.status === 'fulfilled') {
      add(ctx, 'datanode', s.value);
      datanodes.push(s.value);
    }
  }
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  for (const dn of datanodes) ctx.say(`${dn.name} pid=${dn.pid} listening xfer=${dn.xferAddress} uuid=${dn.uuid} log=${dn.logPath}`);

  const first = namenodes[0];
  if (first === undefined) return datanodes;
  await waitDatanodesLive(HOST, first.rpcPort, datanodes.map((dn) => dn.uuid), DATANODES_LIVE_TIMEOUT_MS);
  ctx.say(`datanodes live ${datanodes.length}/${plan.datanodes}`);
  return datanodes;
}

/** Starts the private Redis of the metadata cache when asked, and points every namenode at it. */
async function withPrivateRedis(plan: FleetPlan, ctx: FleetContext): Promise<FleetPlan> {
  if (plan.redis !== 'private') return plan;
  const redis = await startRedisServer({ dir: join(plan.dataDir, 'redis'), host: HOST, port: 0 });
  add(ctx, 'cache', redis);
  ctx.say(`redis pid=${redis.pid} ${redis.url} (metadata cache) log=${redis.logPath}`);
  return { ...plan, define: { ...plan.define, redisUrl: redis.url } };
}

function add(ctx: FleetContext, kind: MemberKind, member: FleetMember): void {
  if (ctx.supervisor.add(member)) ctx.loss.track(member.name, kind);
}

function firstUrl(list: string): string {
  const [first] = splitMysqlUrls(list);
  if (first === undefined) throw new Error('--mysql: no URL given');
  return first;
}

function sayReady(haproxy: RunningHaproxy, clientConfigDir: string, say: (line: string) => void): void {
  const defaultFs = `hdfs://${HOST}:${haproxy.rpcPort}`;
  say(`try: HADOOP_NAMENODE=${HOST}:${haproxy.rpcPort} .tools/bin/hdfs ls /   (Ctrl-C stops the fleet)`);
  say(`ready ${defaultFs} http://${HOST}:${haproxy.httpPort} fs.defaultFS=${defaultFs} client-config=${clientConfigDir}`);
}
