import { join } from 'node:path';
import type { SummaryTable } from '../../loadgen/html-report';
import { fmt, formatTextTable, type TextColumn } from '../../loadgen/text-table';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { startSwiftCluster } from '../local/swift-server';
import { startBenchDatanodes, type BenchDatanodes } from './bench-datanodes';
import type { SectionOutput } from './bench-extra-sections';
import type { LocalFleet } from './local-fleet';
import { measureStore, type StoreFigures } from './store-figures';

export interface SwiftSection extends SectionOutput {
  readonly rows: readonly StoreFigures[];
}

export interface SwiftSectionOptions {
  readonly bigMiB: number;
  readonly smallFiles: number;
  readonly rangedReads: number;
}

const BLOCK = 64 * 1024 * 1024;
const SMALL_BYTES = 64 * 1024;
const RANGED_BYTES = 4096;
const GATEWAYS = 2;

const COLUMNS: readonly TextColumn[] = [
  { title: 'store' },
  { title: 'big MiB', align: 'right' },
  { title: 'write MiB/s', align: 'right' },
  { title: 'read MiB/s', align: 'right' },
  { title: 'small files', align: 'right' },
  { title: 'write files/s', align: 'right' },
  { title: 'write MiB/s', align: 'right' },
  { title: 'read files/s', align: 'right' },
  { title: 'read MiB/s', align: 'right' },
  { title: '4K pread p50 ms', align: 'right' },
  { title: 'p99 ms', align: 'right' },
];

const cells = (r: StoreFigures): string[] => [
  r.store,
  String(r.bigMiB),
  fmt(r.bigWriteMiBps, 1),
  fmt(r.bigReadMiBps, 1),
  String(r.smallFiles),
  fmt(r.smallWriteFilesPerSec, 1),
  fmt(r.smallWriteMiBps, 2),
  fmt(r.smallReadFilesPerSec, 1),
  fmt(r.smallReadMiBps, 2),
  fmt(r.rangedP50Ms, 2),
  fmt(r.rangedP99Ms, 2),
];

const NOTES: readonly string[] = [
  `one fleet, one run: ${GATEWAYS} Swift gateways (nnfleet datanode --block-store swift) and ${GATEWAYS} local-disk datanodes report to the same namenode; the PROVIDED storage policy on the Swift directory sends its blocks to the gateways, the other directory's go to local disks`,
  `Swift is the private all-in-one (one proxy, one device, one replica) on this machine: its figures are the gateway path's cost, not a production cluster's`,
  `replication 1 on both (a Swift block is one object whatever the replication; Swift replicates it itself); block ${BLOCK / 1024 / 1024} MiB, small files ${SMALL_BYTES / 1024} KiB, one client stream`,
  `a gateway stages a block on its disk while it is written and uploads it whole (MD5-checked) before the last ack, so a Swift write pays the bytes twice; reads are ranged GETs in 4 MiB windows through a 64 MiB cache per gateway`,
  `4K pread: getBlockLocations of the range, then one READ_BLOCK of ${RANGED_BYTES} bytes at a random offset of the big file (a cache miss on a gateway fetches its 4 MiB window from Swift)`,
];

const reason = (err: unknown): string => (err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err));

/**
 * Real bytes through Swift gateways next to local disks, measured in one
 * fleet in one run: a private Swift, gateways and local datanodes beside
 * the bench's namenode. A failure is reported, not fatal.
 */
export async function runSwiftSection(dir: string, fleet: LocalFleet, o: SwiftSectionOptions): Promise<SwiftSection> {
  let rows: StoreFigures[] = [];
  try {
    const swift = await startSwiftCluster({ dir: join(dir, 'swift') });
    const stores: BenchDatanodes[] = [];
    try {
      const namenode = { host: '127.0.0.1', rpcPort: fleet.namenode.rpcPort };
      const swiftArgs = ['--block-store', 'swift', '--swift-credentials', swift.credentialsFile(), '--swift-container', 'bench-blocks'];
      stores.push(await startBenchDatanodes(join(dir, 'swift-data'), namenode, fleet.datanodeKeyFile, GATEWAYS, { name: 'gateway', extraArgs: swiftArgs }));
      stores.push(await startBenchDatanodes(join(dir, 'swift-data'), namenode, fleet.datanodeKeyFile, GATEWAYS, { name: 'local' }));
      const client = await NamenodeClient.connect(fleet.address, fleet.superuser, `nnfleet_bench_swift_${process.pid}`, new RpcCounter());
      try {
        await client.mkdirs('/benchstore/swift');
        await client.mkdirs('/benchstore/local');
        await client.setStoragePolicy('/benchstore/swift', 'PROVIDED');
        const common = { bigMiB: o.bigMiB, blockSize: BLOCK, smallFiles: o.smallFiles, smallBytes: SMALL_BYTES, rangedReads: o.rangedReads, rangedBytes: RANGED_BYTES };
        rows = [await measureStore(client, { ...common, store: 'local disk', dir: '/benchstore/local' }), await measureStore(client, { ...common, store: 'Swift', dir: '/benchstore/swift' })];
        await client.delete('/benchstore', true);
      } finally {
        await client.close();
      }
    } finally {
      await Promise.all(stores.map((s) => s.stop()));
      await swift.stop();
    }
  } catch (err) {
    return { rows: [], summaries: [], text: [], failure: `swift section failed: ${reason(err)}` };
  }
  const summary: SummaryTable = { title: 'Blocks in Swift next to local disk', columns: COLUMNS, rows: rows.map(cells), notes: NOTES };
  return {
    rows,
    summaries: [summary],
    text: [`swift: blocks through Swift gateways next to local disks\n${formatTextTable(COLUMNS, rows.map(cells))}\n${NOTES.map((n) => `* ${n}`).join('\n')}`],
  };
}
