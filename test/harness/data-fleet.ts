import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startDatanode, type DatanodeOptions, type RunningDatanode } from '../../datanode/datanode';
import type { NamesystemConfig } from '../../namenode/namesystem-config';
import { namenodeFixture, type NamenodeFixture } from './namenode-fixture';

export interface DataFleet extends NamenodeFixture {
  readonly datanodes: RunningDatanode[];
  readonly dirs: string[];
  /** Starts one more datanode reporting to the namenode(s). */
  addDatanode(): Promise<RunningDatanode>;
  /** Waits until the namenode sees `count` live datanodes with capacity. */
  waitForDatanodes(count: number): Promise<void>;
}

/**
 * A namenode on a fresh database with `count` real datanodes on loopback, each with its own data dir;
 * `datanode` adds options to each (e.g. `httpPort: 0` for WebHDFS).
 */
export async function dataFleet(prefix: string, count: number, config: Partial<NamesystemConfig> = {}, datanode: Partial<DatanodeOptions> = {}): Promise<DataFleet> {
  const nn = await namenodeFixture(prefix, { minBlockSize: 0, heartbeatIntervalMs: 500, ...config });
  const datanodes: RunningDatanode[] = [];
  const dirs: string[] = [];
  const logger = pino({ level: process.env['NNFLEET_LOG_LEVEL'] ?? 'silent' });
  const addDatanode = async () => {
    const dir = mkdtempSync(join(tmpdir(), `nnfleet-dn-${prefix}-`));
    dirs.push(dir);
    const dn = await startDatanode({ dataDir: dir, namenodes: [nn.address], host: '127.0.0.1', xferPort: 0, heartbeatIntervalMs: 500, logger, membershipKey: nn.db.membershipSecret, ...datanode });
    datanodes.push(dn);
    return dn;
  };
  const fleet: DataFleet = {
    ...nn,
    datanodes,
    dirs,
    addDatanode,
    waitForDatanodes: async (n) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const stats = await nn.namenode.namesystem.getFsStats();
        if (stats.liveDatanodes >= n && stats.capacity > 0) return;
        if (Date.now() > deadline) throw new Error(`only ${stats.liveDatanodes} of ${n} datanodes registered`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: async () => {
      await Promise.all(datanodes.map((d) => d.stop().catch(() => undefined)));
      await nn.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
  try {
    for (let i = 0; i < count; i++) await addDatanode();
    await fleet.waitForDatanodes(count);
  } catch (err) {
    // Half started: what did start goes, or it would outlive the test file.
    await fleet.close();
    throw err;
  }
  return fleet;
}
