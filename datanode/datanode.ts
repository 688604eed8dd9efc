import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { hadoop } from '../protocol/generated/hadoop';
import { IpcServer } from '../protocol/ipc/server';
import { DatanodeBlockKeys } from './block-keys';
import { CLIENT_DATANODE_PROTOCOL, clientDatanodeErrors, clientDatanodeHandlers } from './client-datanode-service';
import { loadOrCreateIdentity } from './identity';
import { executeCommand } from './namenode-link/command-executor';
import { NamenodeFleet } from './namenode-link/namenode-fleet';
import { NamenodeLink } from './namenode-link/namenode-link';
import { startDatanodeHttp, type RunningDatanodeHttp } from './http/datanode-http-server';
import type { ReplicaEvents } from './replica-events';
import { openBlockStore, type BlockStoreKind, type SwiftSettings } from './store/open-block-store';
import { DEFAULT_XCEIVER_LIMITS, XceiverServer, type XceiverLimits } from './transfer/xceiver-server';
import { AckedLengths } from './transfer/acked-lengths';
import { MirrorPool } from './transfer/mirror-pool';

export interface DatanodeOptions {
  /** Holds the datanode's identity, and the replicas when the store is local. */
  dataDir: string;
  /** Which store holds the replicas (default local). */
  blockStore?: BlockStoreKind;
  /** The Swift store's container, credentials and limits (with blockStore 'swift'). */
  swift?: SwiftSettings;
  /** "host:port" of each namenode's IPC server; may be empty (serve data only). */
  namenodes: string[];
  /** Address to bind and to advertise to namenodes and clients. */
  host: string;
  /** DataTransferProtocol port; 0 picks a free one. */
  xferPort: number;
  /** WebHDFS's data port (the infoPort the namenodes redirect to); 0 picks a free one; none when undefined. */
  httpPort?: number;
  /** ClientDatanodeProtocol port (Hadoop's dfs.datanode.ipc.address); 0 or absent picks a free one. */
  ipcPort?: number;
  heartbeatIntervalMs?: number;
  blockReportIntervalMs?: number;
  connectTimeoutMs?: number;
  socketTimeoutMs?: number;
  /** DataTransferProtocol admission limits (defaults: DEFAULT_XCEIVER_LIMITS). */
  xceiverLimits?: Partial<XceiverLimits>;
  /** The fleet's membership secret (`nnfleet up`'s datanode key file, `--datanode-key`). */
  membershipKey?: Buffer;
  /** dfs.block.access.token.enable (default true): serve blocks only to holders of a namenode's token. */
  blockAccessTokens?: boolean;
  /** dfs.datanode.synconclose (default false, as HDFS): fsync a local replica's files and directories when it is finalized. */
  syncOnClose?: boolean;
  /** Open, append to, close and rename replica files synchronously on the event loop while that is fast (default true; `InlineWrites`). */
  inlineWrites?: boolean;
  /** Keep a pipeline's connection to the next datanode open for the next block to it (default true; `MirrorPool`). */
  reuseMirrors?: boolean;
  logger: Logger;
}

export interface RunningDatanode {
  readonly xferPort: number;
  /** ClientDatanodeProtocol (Hadoop IPC). */
  readonly ipcPort: number;
  /** The WebHDFS port, when one was asked for. */
  readonly httpPort: number | undefined;
  readonly uuid: string;
  /** DataTransferProtocol connections served now, and pipeline connections to other datanodes reused and held idle. */
  dataTransfer(): { connections: number; mirrorsReused: number; idleMirrors: number };
  /** The namenode currently receiving this datanode's block reports, if any. */
  reportingTo(): string | undefined;
  stop(): Promise<void>;
}

const DEFAULT_HEARTBEAT_MS = 3_000;
const DEFAULT_BLOCK_REPORT_MS = 6 * 60 * 60 * 1000;

/**
 * Starts a datanode: opens (and recovers) the block store, serves
 * DataTransferProtocol at once — even while no namenode is reachable — and
 * links to every namenode in the background.
 */
export async function startDatanode(options: DatanodeOptions): Promise<RunningDatanode> {
  const { logger } = options;
  const identity = await loadOrCreateIdentity(options.dataDir);
  const store = await openBlockStore(options.blockStore ?? 'local', options.dataDir, options.swift, {
    syncOnClose: options.syncOnClose ?? false,
    inlineWrites: options.inlineWrites ?? true,
    onInlineSuspend: (why) => logger.warn(why, 'replica writes slowed the event loop: through the thread pool for the back-off'),
  });
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const socketTimeoutMs = options.socketTimeoutMs ?? 60_000;

  // Replica events reach the fleet once it exists; the server needs them first.
  let fleet: NamenodeFleet | undefined;
  const events: ReplicaEvents = {
    receiving: (r) => fleet?.receiving(r),
    received: (r) => fleet?.received(r),
    deleted: (r) => fleet?.deleted(r),
    corrupt: (r) => fleet?.corrupt(r),
  };
  // Known once listening; no op is served before then.
  let xferPort = options.xferPort;
  const selfAddress = (): { host: string; port: number } => ({ host: options.host, port: xferPort });
  const blockKeys = new DatanodeBlockKeys(options.blockAccessTokens ?? true);
  const acked = new AckedLengths();
  const mirrors = (options.reuseMirrors ?? true) ? new MirrorPool() : undefined;
  const transfer = { store, events, logger, connectTimeoutMs, socketTimeoutMs, selfAddress, blockKeys, acked, ...(mirrors ? { mirrors } : {}) };
  const server = new XceiverServer(transfer, { ...DEFAULT_XCEIVER_LIMITS, ...options.xceiverLimits });
  xferPort = await server.listen(options.host, options.xferPort);
  const ipc = new IpcServer({ logger, mapError: clientDatanodeErrors });
  ipc.registerAll(CLIENT_DATANODE_PROTOCOL, clientDatanodeHandlers(store, acked));
  const ipcPort = (await ipc.listen(options.ipcPort ?? 0, options.host)).port;
  let http: RunningDatanodeHttp | undefined;
  if (options.httpPort !== undefined) {
    const logger = options.logger.child({ c: 'webhdfs' });
    http = await startDatanodeHttp({ host: options.host, port: options.httpPort, namenodes: options.namenodes, connectTimeoutMs, socketTimeoutMs, logger });
  }

  const runCommand = (cmd: hadoop.hdfs.datanode.IDatanodeCommandProto): void => {
    executeCommand({ store, events, logger, connectTimeoutMs, socketTimeoutMs, blockKeys }, cmd).catch((err: unknown) =>
      logger.warn({ err }, 'namenode command failed'),
    );
  };
  const links = options.namenodes.map((address) => {
    const { host, port } = parseHostPort(address);
    return new NamenodeLink({
      host,
      port,
      identity,
      address: { host: options.host, hostName: hostname(), xferPort, infoPort: http?.port ?? 0, ipcPort },
      store,
      logger,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_MS,
      xceiverCount: () => server.activeConnections,
      onCommand: runCommand,
      membershipKey: options.membershipKey,
      onKeys: (keys) => blockKeys.update(keys),
      onRegistered: (link) => fleet?.linkRegistered(link),
      onLost: (link) => fleet?.linkLost(link),
    });
  });
  fleet = new NamenodeFleet(links, store, identity, logger, options.blockReportIntervalMs ?? DEFAULT_BLOCK_REPORT_MS, runCommand);
  for (const link of links) link.start();
  logger.info({ xferPort, ipcPort, uuid: identity.datanodeUuid, replicas: store.list().length, sharedStore: store.shared }, 'datanode started');

  return {
    xferPort,
    ipcPort,
    httpPort: http?.port,
    uuid: identity.datanodeUuid,
    dataTransfer: () => ({ connections: server.activeConnections, mirrorsReused: mirrors?.reused ?? 0, idleMirrors: mirrors?.idle ?? 0 }),
    reportingTo: () => fleet?.reporter,
    stop: async () => {
      await Promise.all(links.map((l) => l.stop()));
      await fleet?.stop();
      mirrors?.close();
      await Promise.all([server.close(), ipc.close(), http?.close()]);
    },
  };
}

export function parseHostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  const port = Number(address.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`expected host:port, got "${address}"`);
  return { host: address.slice(0, i), port };
}
