import { bulkTree } from '../../cli/bench/bulk-tree';
import { readStatementCounts } from '../../cli/bench/db-status';
import { ClientPool } from '../../loadgen/client-pool';
import type { SimBlock } from '../../loadgen/dnsim/block-list-buffer';
import { runDnsim, type DnsimOutcome } from '../../loadgen/dnsim/dnsim-mode';
import { MetadataOnlyFileDataClient } from '../../loadgen/file-data-client';
import { formatPhase } from '../../loadgen/result-table';
import { createProgressReporter } from '../../loadgen/progress-reporter';
import { sqlRepositories } from '../../namenode/dal/sql/sql-repositories';
import { openSqlStorage } from '../../namenode/dal/sql/sql-storage';
import { createMysqlPool } from '../../schema/mysql-config';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';

jest.setTimeout(600_000);

const DATANODES = 50;
const BLOCKS_PER_DATANODE = 2000;
const REPLICATION = 3;
const BLOCKS_PER_FILE = 100;
const FILES = Math.ceil((DATANODES * BLOCKS_PER_DATANODE) / REPLICATION / BLOCKS_PER_FILE);
const REMOVE_EVERY = 10;

let fx: NamenodeFixture;

beforeAll(async () => {
  fx = await namenodeFixture('dnsim');
});

afterAll(async () => {
  await fx?.close();
});

/**
 * NNThroughputBenchmark-style datanode emulation against a real namenode on
 * MariaDB: 50 simulated datanodes register and heartbeat over the real
 * DatanodeProtocol (with the fleet's secret), write files whose targets
 * send incremental reports, then send full block reports of the bulk-loaded
 * blocks they are given — and the replica rows must say exactly what the
 * last report of each storage said.
 */
test('dnsim: 50 datanodes register, heartbeat, report incrementally and fully; replica rows follow the reports', async () => {
  const pool = await ClientPool.open({ namenodes: [fx.address], user: fx.superuser, connections: 4 });
  const dbPool = createMysqlPool(fx.db.config, { connectionLimit: 1 });
  const storage = openSqlStorage(fx.db.config, 2);
  let outcome: DnsimOutcome;
  try {
    expect(await pool.forWorker(0).mkdirs('/seed')).toBe(true);
    const seeded: SimBlock[] = [];
    await bulkTree(fx.db.config, '/seed', { dirs: 0, filesPerDir: FILES, user: fx.superuser, blocksPerFile: BLOCKS_PER_FILE, blockBytes: 1024, onBlocks: (b) => seeded.push(...b) });
    expect(seeded).toHaveLength(FILES * BLOCKS_PER_FILE);
    outcome = await runDnsim(
      { pool, fileData: new MetadataOnlyFileDataClient(), progress: createProgressReporter('none'), user: fx.superuser },
      {
        namenodes: [fx.address],
        membershipSecret: fx.db.membershipSecret,
        datanodes: DATANODES,
        heartbeats: 3,
        threads: 16,
        files: 10,
        blocksPerFile: 3,
        replication: REPLICATION,
        dir: '/written',
        seeded: { blocks: seeded, reporters: DATANODES, replication: REPLICATION },
        removeEvery: REMOVE_EVERY,
        statements: async () => (await readStatementCounts(dbPool)).Statements,
        uuidPrefix: 'dnsim-test',
      },
    );
    for (const phase of outcome.phases) process.stdout.write(`${formatPhase(phase)}\n`);
    for (const phase of outcome.phases) expect(phase.totalErrors).toBe(0);

    // Every simulated datanode is registered, with its storage.
    const registered = new Set((await storage.db.run(sqlRepositories.datanodes.findAll())).map((d) => d.uuid));
    for (const dn of outcome.datanodes) expect(registered.has(dn.uuid)).toBe(true);

    // The write phase's blocks went to simulated datanodes and came back in their incremental reports.
    const written = (await pool.forWorker(0).getListing('/written'))?.partialListing?.length;
    expect(written).toBe(10);

    // After the last report (every REMOVE_EVERY-th block left out), each storage's rows are its report.
    let total = 0;
    for (const dn of outcome.datanodes) {
      const rows = await storage.db.run(sqlRepositories.replicas.findByStorageWithBlockStamps(dn.uuid, dn.storageUuid));
      const got = rows.map((r) => `${r.blockId}/${r.genStamp}/${r.numBytes}/${r.datanodeUuid}`).sort();
      const want = dn.reported.map((b) => `${b.blockId}/${b.genStamp}/${b.numBytes}/${dn.uuid}`).sort();
      expect(got).toEqual(want);
      total += rows.length;
    }
    // The seeded blocks are spread evenly, and removals did happen.
    const seededCopies = seeded.length * REPLICATION;
    expect(total).toBeLessThan(seededCopies);
    expect(total).toBeGreaterThan(seededCopies * (1 - 1.5 / REMOVE_EVERY));
  } finally {
    await pool.close();
    await dbPool.end();
    await storage.end();
  }
});
