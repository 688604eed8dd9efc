import { randomBytes } from 'node:crypto';
import type { SimBlock } from '../../loadgen/dnsim/block-list-buffer';
import { runDnsim, type DnsimOptions } from '../../loadgen/dnsim/dnsim-mode';
import type { PhaseResult } from '../../loadgen/loadgen-result';
import type { ModeContext } from '../../loadgen/run-phase';
import { createMysqlPool, type MysqlConfig } from '../../schema/mysql-config';
import { readDatanodeKeyFile } from '../fleet/datanode-key-file';
import { bulkTree } from './bulk-tree';
import { readStatementCounts } from './db-status';

/** Blocks per bulk-loaded file (seeded blocks are complete blocks of closed files). */
const SEED_BLOCKS_PER_FILE = 100;
const SEED_BLOCK_BYTES = 1024;

export interface DnsimRunOptions extends Omit<DnsimOptions, 'seeded' | 'statements' | 'uuidPrefix' | 'membershipSecret'> {
  /** The fleet's datanode key file. */
  readonly datanodeKey: string;
  /** The metadata database: bulk-loads the blocks of the full reports and reads the server's statement counters. */
  readonly mysql?: MysqlConfig;
  /** Blocks each of the first `reporters` datanodes holds and reports (bulk-loaded; needs `mysql`). */
  readonly blocksPerReport: number;
  readonly reporters: number;
}

/**
 * `loadgen dnsim` with what the load generator alone cannot do: blocks for
 * full reports of 100,000 blocks, bulk-loaded as closed files straight
 * into the database (writing them through addBlock would take hours), and
 * database statements per operation from the server's counters.
 */
export async function runDnsimWithSeed(ctx: ModeContext, o: DnsimRunOptions): Promise<PhaseResult[]> {
  const { datanodeKey, mysql, blocksPerReport, reporters, ...rest } = o;
  if (blocksPerReport > 0 && !mysql) throw new Error('--blocksPerReport needs --mysql (the blocks are bulk-loaded into the database)');
  const runId = randomBytes(4).toString('hex');
  const dbPool = mysql ? createMysqlPool(mysql, { connectionLimit: 1 }) : undefined;
  try {
    const seeded: SimBlock[] = [];
    if (blocksPerReport > 0 && mysql) {
      const copies = Math.min(o.replication, reporters);
      const files = Math.ceil((reporters * blocksPerReport) / copies / SEED_BLOCKS_PER_FILE);
      const seedDir = `${o.dir}/seed-${runId}`;
      await ctx.pool.forWorker(0).mkdirs(seedDir);
      const t0 = performance.now();
      await bulkTree(mysql, seedDir, { dirs: 0, filesPerDir: files, user: ctx.user, blocksPerFile: SEED_BLOCKS_PER_FILE, blockBytes: SEED_BLOCK_BYTES, onBlocks: (b) => seeded.push(...b) });
      process.stderr.write(`dnsim: bulk-loaded ${files} files, ${seeded.length} blocks under ${seedDir} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    }
    const outcome = await runDnsim(ctx, {
      ...rest,
      membershipSecret: readDatanodeKeyFile(datanodeKey),
      uuidPrefix: `dnsim-${runId}`,
      ...(seeded.length > 0 ? { seeded: { blocks: seeded, reporters, replication: o.replication } } : {}),
      ...(dbPool ? { statements: async () => (await readStatementCounts(dbPool)).Statements } : {}),
    });
    return outcome.phases;
  } finally {
    await dbPool?.end();
  }
}
