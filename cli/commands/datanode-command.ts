import { Command, Option } from 'commander';
import { startDatanode } from '../../datanode/datanode';
import { BLOCK_STORE_KINDS, type BlockStoreKind } from '../../datanode/store/open-block-store';
import { waitForTermination } from '../fleet/termination';
import { createLogger, logLevelOption } from '../logger';
import { parsePort, parsePositiveInt } from '../options';
import { readDatanodeKeyFile } from '../fleet/datanode-key-file';
import { addSwiftStoreFlags, swiftSettings, type SwiftStoreFlags } from './swift-store-flags';

interface DatanodeFlags extends SwiftStoreFlags {
  dataDir: string;
  blockStore: BlockStoreKind;
  namenodes: string;
  host: string;
  xferPort: number;
  httpPort: number;
  heartbeatIntervalMs: number;
  blockReportIntervalMs: number;
  logLevel: string;
  datanodeKey?: string;
  blockAccessTokens: boolean;
  syncOnClose: boolean;
  inlineWrites: boolean;
  mirrorReuse: boolean;
}

/** `nnfleet datanode`: one datanode in the foreground until SIGINT/SIGTERM. */
export function datanodeCommand(): Command {
  const cmd = new Command('datanode')
    .description('run one datanode: block storage and DataTransferProtocol, reporting to the namenodes')
    .requiredOption('--data-dir <dir>', 'directory holding the replicas and the datanode identity')
    .addOption(new Option('--block-store <kind>', 'where the replicas live').choices(BLOCK_STORE_KINDS).default('local'))
    .requiredOption('--namenodes <list>', 'namenode IPC addresses, host:port[,host:port…]')
    .option('--host <addr>', 'address to bind and advertise', '127.0.0.1')
    .option('--xfer-port <port>', 'DataTransferProtocol port (0: any free port)', parsePort, 9866)
    .option('--http-port <port>', "WebHDFS's data port, advertised to the namenodes as the infoPort they redirect to (0: any free port)", parsePort, 0)
    .option('--heartbeat-interval-ms <ms>', 'heartbeat period (dfs.heartbeat.interval)', parsePositiveInt, 3_000)
    .option('--block-report-interval-ms <ms>', 'full block report period (dfs.blockreport.intervalMsec)', parsePositiveInt, 6 * 60 * 60 * 1000)
    .option('--datanode-key <file>', "the fleet's membership secret (nnfleet up writes DIR/datanode.key); namenodes refuse a datanode without it")
    .option('--no-block-access-tokens', 'serve blocks without checking block access tokens (dfs.block.access.token.enable=false)')
    .option('--sync-on-close', 'fsync each replica (files and directories) when finalized (dfs.datanode.synconclose; off by default, as in HDFS)', false)
    .option('--no-inline-writes', "open, append to, close and rename replica files through libuv's thread pool always, not synchronously on the event loop while that is fast")
    .option('--no-mirror-reuse', "open a new connection to the next datanode of every block's pipeline, never reusing an idle one")
    .addOption(logLevelOption());
  return addSwiftStoreFlags(cmd).action((flags: DatanodeFlags) => runDatanode(flags));
}

async function runDatanode(flags: DatanodeFlags): Promise<void> {
  const logger = createLogger('datanode', flags.logLevel);
  const membershipKey = flags.datanodeKey !== undefined ? readDatanodeKeyFile(flags.datanodeKey) : undefined;
  if (!membershipKey) logger.warn('no --datanode-key: namenodes will refuse this datanode');
  const terminated = waitForTermination();
  const datanode = await startDatanode({
    dataDir: flags.dataDir,
    blockStore: flags.blockStore,
    ...(flags.blockStore === 'swift' ? { swift: swiftSettings(flags, logger) } : {}),
    namenodes: flags.namenodes.split(',').map((s) => s.trim()).filter((s) => s !== ''),
    host: flags.host,
    xferPort: flags.xferPort,
    httpPort: flags.httpPort,
    heartbeatIntervalMs: flags.heartbeatIntervalMs,
    blockReportIntervalMs: flags.blockReportIntervalMs,
    blockAccessTokens: flags.blockAccessTokens,
    syncOnClose: flags.syncOnClose,
    inlineWrites: flags.inlineWrites,
    reuseMirrors: flags.mirrorReuse,
    ...(membershipKey ? { membershipKey } : {}),
    logger,
  });
  // Its own line: scripts and the fleet's supervisor match the listening line exactly.
  process.stdout.write(`datanode webhdfs http=${flags.host}:${datanode.httpPort ?? 0}\n`);
  process.stdout.write(`datanode listening xfer=${flags.host}:${datanode.xferPort} uuid=${datanode.uuid}\n`);
  const reason = await terminated;
  logger.info({ reason }, 'stopping');
  await datanode.stop();
  logger.info('stopped');
  process.exit(0);
}
