import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NamesystemConfig } from '../../namenode/namesystem-config';
import { DatanodeProcesses, type DatanodeProcess } from './datanode-process';
import { namenodeFixture, type NamenodeFixture } from './namenode-fixture';
import { eventually } from './replica-files';
import { swiftOrphanStore } from '../../cli/commands/swift-orphan-store';
import { loadSwiftCredentials } from '../../datanode/store/swift-credentials';
import { SharedOrphanSweeper, type OrphanSweepOptions } from '../../namenode/leader/duties/shared-orphans';
import { startSwiftCluster, type SwiftCluster, type SwiftClusterOptions } from '../../cli/local/swift-server';

export const SWIFT_CONTAINER = 'blocks';

export interface SwiftFleet {
  readonly nn: NamenodeFixture;
  readonly swift: SwiftCluster;
  readonly datanodes: DatanodeProcesses;
  readonly gateways: DatanodeProcess[];
  readonly work: string;
  /** Objects in the block container, as python3-swiftclient's `swift list` shows them. */
  objects(): Promise<string[]>;
  /** Bytes of block `blockId` in progress in gateway `gw<i>`'s staging area (a LocalBlockStore under <data-dir>/swift-staging); 0 when none. */
  stagedBytes(i: number, blockId: number): number;
  close(): Promise<void>;
}

/**
 * A namenode, a private Swift, and `count` real `nnfleet datanode`
 * processes with `--block-store swift` on one container (so each can be
 * killed -9), credentials in a file.
 */
export async function swiftFleet(
  prefix: string,
  count: number,
  opts: {
    config?: Partial<NamesystemConfig>;
    swift?: SwiftClusterOptions;
    datanodeArgs?: readonly string[];
    orphanSweep?: Partial<OrphanSweepOptions>;
    /** The gateways' credentials file (Keystone, say); the cluster's TempAuth file when unset. */
    credentialsFile?: string;
  } = {},
): Promise<SwiftFleet> {
  const swift = await startSwiftCluster(opts.swift);
  // The leader's orphan sweep over the container, as `nnfleet namenode --swift-credentials` sets it up.
  const orphanStore = opts.orphanSweep ? swiftOrphanStore(loadSwiftCredentials(swift.credentialsFile()), SWIFT_CONTAINER, 30_000) : undefined;
  const work = mkdtempSync(join(tmpdir(), `nnfleet-${prefix}-`));
  let nn: NamenodeFixture | undefined;
  let datanodes: DatanodeProcesses | undefined;
  try {
    nn = await namenodeFixture(
      prefix,
      { minBlockSize: 0, heartbeatIntervalMs: 500, ...opts.config },
      orphanStore ? { orphanSweeper: new SharedOrphanSweeper(orphanStore, opts.orphanSweep) } : {},
    );
    const dns = new DatanodeProcesses(work, nn.address, nn.db.membershipSecret);
    datanodes = dns;
    const args = ['--block-store', 'swift', '--swift-credentials', opts.credentialsFile ?? swift.credentialsFile(), '--swift-container', SWIFT_CONTAINER, ...(opts.datanodeArgs ?? [])];
    const gateways: DatanodeProcess[] = [];
    for (let i = 0; i < count; i++) gateways.push(await dns.start(`gw${i}`, nn.address, args));
    const ns = nn.namenode.namesystem;
    await eventually('the gateways live', async () => ((await ns.getFsStats()).liveDatanodes === count ? true : undefined), 30_000);
    const fixture = nn;
    return {
      nn: fixture,
      swift,
      datanodes: dns,
      gateways,
      work,
      objects: async () => (await swift.swiftCli(['list', SWIFT_CONTAINER])).split('\n').filter((l) => l !== ''),
      stagedBytes: (i, blockId) => {
        try {
          return statSync(join(work, `gw${i}`, 'swift-staging', 'current', 'rbw', `blk_${blockId}`)).size;
        } catch {
          return 0;
        }
      },
      close: async () => {
        await dns.stopAll();
        await fixture.close();
        orphanStore?.close();
        await swift.stop();
        rmSync(work, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await datanodes?.stopAll();
    await nn?.close();
    orphanStore?.close();
    await swift.stop();
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
}
