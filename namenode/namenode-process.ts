import type { Logger } from 'pino';
import { hadoop } from '../protocol/generated/hadoop';
import { CLIENT_PROTOCOL, DATANODE_PROTOCOL, NAMENODE_PROTOCOL, REFRESH_USER_MAPPINGS_PROTOCOL } from '../protocol/ipc/wire-constants';
import { IpcServer } from '../protocol/ipc/server';
import type { MysqlConfig } from '../schema/mysql-config';
import { openSqlStorage } from './dal/sql/sql-storage';
import { HealthProbe } from './http/health-probe';
import { startHttpServer } from './http/http-server';
import { fsckRoute } from './http/fsck-route';
import { webhdfsRoutes } from './http/webhdfs/webhdfs-route';
import { fsck } from './fsck/fsck';
import { FleetView } from './http/ui/fleet-view';
import { packageVersion } from './http/ui/package-root';
import { uiRoutes } from './http/ui/ui-routes';
import { NamenodeMetrics } from './http/metrics';
import { coherentRowsFor } from './cache/from-config';
import { writeFence } from './tx/write-fence';
import { sqlRepositories } from './dal/sql/sql-repositories';
import { addCacheMetrics } from './cache/cache-gauges';
import { fleetSharingFor } from './cache/fleet-sharing';
import { addFleetSharingMetrics, addReplicaWaitMetrics } from './cache/fleet-sharing-gauges';
import { CallerResolver } from './security/caller-resolver';
import { clientProtocolHandlers } from './ipc/client-protocol-service';
import { withUnsupportedMethods } from './ipc/unsupported-methods';
import { datanodeProtocolHandlers } from './ipc/datanode-protocol-service';
import { NAMENODE_PROTOCOL_UNSUPPORTED, namenodeProtocolHandlers } from './ipc/namenode-protocol-service';
import { REFRESH_USER_MAPPINGS_UNSUPPORTED, refreshUserMappingsHandlers } from './ipc/refresh-user-mappings-service';
import { NAMENODE_PROTOCOL_METHODS, REFRESH_USER_MAPPINGS_METHODS } from '../protocol/ipc/client-protocol-methods';
import { instrument } from './ipc/instrument';
import { CallsInProgress } from './ipc/calls-in-progress';
import { namesystemErrorMapper } from './ipc/map-error';
import { Namesystem } from './namesystem';
import { HintCache } from './tx/hint-cache';
import { LeaderElection } from './leader/leader-election';
import { Housekeeper } from './leader/housekeeper';
import type { SharedOrphanSweeper } from './leader/duties/shared-orphans';
import { DEFAULT_NAMESYSTEM_CONFIG, type NamesystemConfig } from './namesystem-config';
import { GroupMapping } from './security/group-mapping';
import { BlockKeyRing } from './security/block-key-ring';
import { BlockTokenIssuer } from './ipc/block-tokens';
import { DatanodeAuthenticator } from './ipc/datanode-auth';
import { rollBlockKeys } from './leader/duties/block-key-roller';
import { startGrpcServer, type GrpcLimits, type GrpcTls, type RunningGrpcServer } from './grpc/grpc-server';
import type { GrpcServiceRegistration } from './grpc/grpc-service';
import { adminService } from './grpc/admin-service';
import { namespaceService } from './grpc/namespace-service';

export interface NamenodeOptions {
  readonly mysql: MysqlConfig;
  /** Bind address of the IPC and HTTP servers. */
  readonly host: string;
  /** 0 picks a free port. */
  readonly rpcPort: number;
  readonly httpPort: number;
  /** The gRPC port (0 picks a free port); no gRPC server when absent. */
  readonly grpcPort?: number | undefined;
  /** TLS for the gRPC port; plaintext when absent. */
  readonly grpcTls?: GrpcTls | undefined;
  readonly grpcLimits?: Partial<GrpcLimits>;
  readonly config?: Partial<NamesystemConfig>;
  /** "alice=staff,dev;bob=", like hadoop.user.group.static.mapping.overrides. */
  readonly groupOverrides?: string;
  readonly poolSize?: number;
  readonly logger: Logger;
  /** The leader's sweep of orphaned objects in the shared block store (Swift), when the fleet has one. */
  readonly orphanSweeper?: SharedOrphanSweeper;
}

export interface RunningNamenode {
  readonly rpcPort: number;
  readonly httpPort: number;
  /** Undefined when the namenode serves no gRPC. */
  readonly grpcPort: number | undefined;
  readonly namesystem: Namesystem;
  readonly election: LeaderElection;
  readonly housekeeper: Housekeeper;
  stop(): Promise<void>;
}

/** A whole-subtree walk; a listing with block locations reads every file's blocks. */
const EXPENSIVE_METHODS = new Set(['getContentSummary']);

function isExpensiveCall(method: string, body: Uint8Array): boolean {
  if (EXPENSIVE_METHODS.has(method)) return true;
  return method === 'getListing' && hadoop.hdfs.GetListingRequestProto.decode(body).needLocation;
}

/**
 * The coherent cache's correctness rests on a writer's row locks being seen
 * by every namenode's reads until it commits (namenode/cache/README.md). On
 * Galera a row lock is local to the node that took it, and the other nodes
 * apply the write set after COMMIT returns: a namenode on another node
 * re-read a row right after acking an invalidation and kept the old one
 * (13,668 of 27,172 reads stale in `test/galera/galera-cross-node-reads.test.ts`
 * with the cache on). So on Galera the namenode runs without it, and says so.
 */
async function cacheAllowed(storage: { galera(): Promise<boolean> }, log: Logger): Promise<boolean> {
  if (!(await storage.galera())) return true;
  log.warn('the database is a Galera node: the coherent metadata cache is off (row locks are local to a Galera node), every read goes to the database');
  return false;
}

/**
 * Whether the database takes compound statements (sql-db.ts). A database
 * that cannot be asked now (still starting, unreachable) does not stop the
 * namenode: it writes with multi-statement queries, correct and a little
 * dearer, and says so.
 */
async function compoundWritesProbed(storage: { compoundStatements(): Promise<boolean> }, log: Logger): Promise<boolean> {
  try {
    return await storage.compoundStatements();
  } catch (e) {
    log.warn({ err: e }, 'could not ask the database whether it takes compound statements: writes go as multi-statement queries');
    return false;
  }
}

/**
 * One stateless namenode: a Hadoop IPC server for ClientProtocol and an HTTP
 * server (/healthz, /metrics) over one Namesystem and one connection pool.
 * Everything durable is in the database; memory holds only caches.
 */
export async function startNamenode(opts: NamenodeOptions): Promise<RunningNamenode> {
  const config: NamesystemConfig = { ...DEFAULT_NAMESYSTEM_CONFIG, ...opts.config };
  const log = opts.logger;
  const storage = openSqlStorage(opts.mysql, opts.poolSize ?? 16, (e) => log.warn({ err: e }, 'a database connection could not be set to read causally (wsrep_sync_wait)'));
  const { db, counters } = storage;
  db.compoundWrites = config.compoundWrites && (await compoundWritesProbed(storage, log));
  log.info({ compoundWrites: db.compoundWrites }, db.compoundWrites ? 'writes and COMMITs go as compound statements' : 'writes and COMMITs go as multi-statement queries');
  const wanted = coherentRowsFor(config, log.child({ c: 'cache' }), writeFence(db, sqlRepositories.namespace));
  const rows = wanted && (await cacheAllowed(storage, log)) ? wanted : undefined;
  await rows?.start();
  const sharing = fleetSharingFor(config, new HintCache(config.hintCacheBytes), log.child({ c: 'fleet-sharing' }));
  await sharing?.start();
  // Client calls being served: a short write group waits for company only while some of them are elsewhere (group-commit.ts).
  const clientCalls = new CallsInProgress();
  const namesystem = new Namesystem({ db, counters, config, rows, cache: sharing?.hints, logger: log.child({ c: 'ns' }), callsInProgress: clientCalls });
  sharing?.attach(namesystem.context.replicaWaiters);
  const metrics = new NamenodeMetrics();
  if (rows) addCacheMetrics(metrics, rows);
  if (sharing) addFleetSharingMetrics(metrics, sharing);
  const waiters = namesystem.context.replicaWaiters;
  addReplicaWaitMetrics(metrics, waiters.stats, () => waiters.sleeping);
  const stats = namesystem.runner.stats;
  metrics.addGauge('nnfleet_db_round_trips', 'Database round trips made by namespace operations', () => db.roundTrips);
  metrics.addGauge('nnfleet_tx_retries', 'Transactions retried after a transient failure', () => stats.retries);
  metrics.addGauge('nnfleet_hint_cache_entries', 'Entries in the path hint cache', () => namesystem.cache.stats.entries);
  metrics.addGauge('nnfleet_hint_cache_hits', 'Hint cache hits', () => namesystem.cache.stats.hits);
  metrics.addGauge('nnfleet_coalesced_lookup_queries', 'Batched lookup queries sent', () => namesystem.runner.batcher.queries);
  const lookupBatchers = [namesystem.runner.batcher, namesystem.runner.blockBatcher];
  const lingers = (count: (l: { filled: number; timedOut: number }) => number) => () => lookupBatchers.reduce((sum, b) => sum + count(b.linger), 0);
  metrics.addGauge('nnfleet_lookup_linger_filled', 'Short lookup batches that waited and filled up (lookupLingerBatch)', lingers((l) => l.filled));
  metrics.addGauge('nnfleet_lookup_linger_timed_out', 'Short lookup batches that waited lookupLingerMs and went short', lingers((l) => l.timedOut));
  const group = namesystem.runner.groupStats;
  if (group) {
    metrics.addGauge('nnfleet_group_commit_groups', 'Transactions that committed more than one path write (group commit)', () => group.groups);
    metrics.addGauge('nnfleet_group_commit_members', 'Path writes those transactions carried', () => group.grouped);
    metrics.addGauge('nnfleet_group_commit_fallbacks', 'Groups rolled back and run one by one', () => group.fallbacks);
    metrics.addGauge('nnfleet_group_commit_retries', 'Groups rolled back by a deadlock or lock wait timeout and run again as a group', () => group.retries);
  }
  const writeLinger = namesystem.runner.writeLinger;
  if (writeLinger) {
    metrics.addGauge('nnfleet_write_linger_filled', 'Short write groups that waited and filled up (writeLingerBatch)', () => writeLinger.filled);
    metrics.addGauge('nnfleet_write_linger_timed_out', 'Short write groups that waited writeLingerMs', () => writeLinger.timedOut);
    metrics.addGauge('nnfleet_write_linger_cut_short', 'Short write groups whose wait ended when no other client call was being served', () => writeLinger.cutShort);
  }

  const groups = new GroupMapping(opts.groupOverrides);
  const callers = new CallerResolver(groups, config, config.proxyUsers);
  const ipcLog = log.child({ c: 'ipc' });
  const ipc = new IpcServer({
    mapError: namesystemErrorMapper(ipcLog),
    logger: ipcLog,
    maxFrameBytes: config.ipcMaximumDataLength,
    maxHandshakeFrameBytes: config.ipcMaximumHandshakeDataLength,
    maxConnections: config.ipcServerMaxConnections,
    maxBufferedBytes: config.ipcServerMaxBufferedBytes,
    maxConnectionsPerAddress: config.ipcServerMaxConnectionsPerAddress,
    handshakeTimeoutMs: config.ipcServerHandshakeTimeoutMs,
    maxIdleTimeMs: 2 * config.ipcClientConnectionMaxIdleTimeMs,
    idleScanThreshold: config.ipcClientIdleThreshold,
    maxInFlightPerConnection: config.ipcServerMaxInFlightPerConnection,
    handlerCount: config.handlerCount,
    callQueueSize: config.handlerCount * config.ipcServerHandlerQueueSize,
    expensiveHandlerCount: config.expensiveHandlerCount,
    overflowTriggersFailover: config.ipcCallQueueOverflowTriggerFailover !== 0,
    isExpensiveCall,
    priorityProtocols: [DATANODE_PROTOCOL],
  });
  const { runner, dal } = namesystem.context;
  const keyRing = config.blockAccessTokens
    ? new BlockKeyRing(
        {
          load: () => runner.query('blockKeys', dal.security.findBlockKeys()),
          ensure: async () => void (await rollBlockKeys(namesystem.context, Date.now())),
        },
        { updateIntervalMs: config.blockKeyUpdateIntervalMs, tokenLifetimeMs: config.blockTokenLifetimeMs },
      )
    : undefined;
  const tokens = new BlockTokenIssuer(keyRing);
  const datanodeAuth = new DatanodeAuthenticator(() => runner.query('membershipSecret', dal.security.findMembershipSecret()));
  ipc.registerAll(CLIENT_PROTOCOL, instrument(withUnsupportedMethods(clientProtocolHandlers(namesystem, callers, tokens)), metrics, clientCalls));
  ipc.registerAll(DATANODE_PROTOCOL, instrument(datanodeProtocolHandlers(namesystem, datanodeAuth, tokens, log.child({ c: 'datanodes' })), metrics));
  const namenodeProtocol = withUnsupportedMethods(namenodeProtocolHandlers(namesystem, callers), NAMENODE_PROTOCOL_METHODS, NAMENODE_PROTOCOL_UNSUPPORTED);
  ipc.registerAll(NAMENODE_PROTOCOL, instrument(namenodeProtocol, metrics));
  const refreshProtocol = withUnsupportedMethods(refreshUserMappingsHandlers(groups, callers), REFRESH_USER_MAPPINGS_METHODS, REFRESH_USER_MAPPINGS_UNSUPPORTED);
  ipc.registerAll(REFRESH_USER_MAPPINGS_PROTOCOL, instrument(refreshProtocol, metrics));

  // haproxy polls /healthz every second: 2 s timeout, answers older than 3 s count as down.
  const health = new HealthProbe(() => db.ping(), { intervalMs: 1000, timeoutMs: 2000, logger: log.child({ c: 'health' }) });
  health.start();
  // The web UI asks who leads and where this namenode listens; both are known once it runs.
  let elected: LeaderElection | undefined;
  let httpAddress = '';
  const view = new FleetView({
    ns: namesystem,
    self: () => ({ id: elected?.id ?? 0, leader: elected?.isLeader ?? false }),
    health,
    version: packageVersion(),
    startedAt: Date.now(),
  });
  try {
    const rpc = await ipc.listen(opts.rpcPort, opts.host);
    const http = await startHttpServer({
      host: opts.host,
      port: opts.httpPort,
      logger: log.child({ c: 'http' }),
      metrics,
      health,
      routes: [
        fsckRoute(namesystem, callers, () => fsck(db, dal.fsck), log.child({ c: 'fsck' })),
        ...webhdfsRoutes({ ns: namesystem, callers, rpcAddress: `${opts.host}:${rpc.port}`, logger: log.child({ c: 'webhdfs' }), metrics }),
        ...uiRoutes({ view, calls: () => metrics.callTotals(), httpAddress: () => httpAddress }),
      ],
    });
    httpAddress = `${opts.host}:${http.port}`;
    const election = new LeaderElection({
      db,
      namenodes: namesystem.context.dal.namenodes,
      rpcAddress: `${opts.host}:${rpc.port}`,
      httpAddress,
      intervalMs: config.housekeepingIntervalMs,
      logger: log.child({ c: 'leader' }),
    });
    await election.start();
    namesystem.attachMembership(election);
    elected = election;
    const housekeeper = new Housekeeper(namesystem.context, election, log.child({ c: 'housekeeping' }), opts.orphanSweeper, namesystem.changeFeed);
    housekeeper.start();
    // Every gRPC service this namenode serves: each one a registration built beside its handlers.
    const grpcServices: GrpcServiceRegistration[] = [
      adminService({
        ns: namesystem,
        callers,
        election: () => elected,
        databaseReachable: () => health.current().healthy,
        // Reachable while this namenode holds its cache lease (renewed through Redis); no Redis configured, no answer.
        redisReachable: rows ? () => rows.redis.leaseValid : undefined,
        checkNamespace: () => fsck(db, dal.fsck),
        version: packageVersion(),
        logger: log.child({ c: 'grpc-admin' }),
      }),
      namespaceService({ ns: namesystem, callers, logger: log.child({ c: 'grpc-namespace' }) }),
    ];
    const grpc: RunningGrpcServer | undefined =
      opts.grpcPort === undefined
        ? undefined
        : await startGrpcServer({
            host: opts.host,
            port: opts.grpcPort,
            services: grpcServices,
            tls: opts.grpcTls,
            healthy: () => health.current().healthy,
            logger: log.child({ c: 'grpc' }),
            ...(opts.grpcLimits ? { limits: opts.grpcLimits } : {}),
          }).catch(async (err: unknown) => {
            await housekeeper.stop();
            await election.stop();
            await http.close();
            throw err;
          });
    metrics.addGauge('nnfleet_is_leader', '1 while this namenode leads the fleet', () => (election.isLeader ? 1 : 0));
    log.info({ rpcPort: rpc.port, httpPort: http.port, grpcPort: grpc?.port, id: election.id }, 'namenode started');
    return {
      rpcPort: rpc.port,
      httpPort: http.port,
      grpcPort: grpc?.port,
      namesystem,
      election,
      housekeeper,
      stop: async () => {
        await housekeeper.stop();
        await election.stop();
        await Promise.all([ipc.close(), http.close(), grpc?.close()]);
        health.stop();
        await rows?.stop();
        sharing?.stop();
        await storage.end();
        log.info('namenode stopped');
      },
    };
  } catch (e) {
    health.stop();
    await rows?.stop();
    sharing?.stop();
    await ipc.close().catch(() => undefined);
    await storage.end().catch(() => undefined);
    throw e;
  }
}
