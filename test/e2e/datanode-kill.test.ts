import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCaller } from '../../namenode/security/caller';
import { writeDatanodeKeyFile } from '../../cli/fleet/datanode-key-file';
import { runCli, type CliRun } from '../cli/cli-process';
import { hdfs } from '../harness/go-hdfs';
import { namenodeFixture, type NamenodeFixture } from '../harness/namenode-fixture';
import { eventually } from '../harness/replica-files';

const BLOCK = 1024 * 1024;

/**
 * Datanodes as real processes, one killed -9 while the Go client writes
 * through it. The write either succeeds and reads back exactly, or fails
 * with an error — never a file that reads back wrong; and once the dead
 * datanode is declared dead, every block gets its replication back.
 */
describe('kill -9 of a datanode in the middle of a write', () => {
  let nn: NamenodeFixture;
  let work: string;
  const datanodes: { run: CliRun; uuid: string }[] = [];

  beforeAll(async () => {
    nn = await namenodeFixture('dnkill', { blockSize: BLOCK, minBlockSize: 0, replication: 3, heartbeatIntervalMs: 500, heartbeatExpiryMs: 3000, housekeepingIntervalMs: 300, leaseHardLimitMs: 1500 });
    work = mkdtempSync(join(tmpdir(), 'nndnkill-'));
    const keyFile = join(work, 'datanode.key');
    writeDatanodeKeyFile(keyFile, nn.db.membershipSecret);
    for (let i = 0; i < 4; i++) {
      const run = runCli(['datanode', '--data-dir', join(work, `dn${i}`), '--namenodes', nn.address, '--host', '127.0.0.1', '--xfer-port', '0', '--heartbeat-interval-ms', '500', '--log-level', 'warn', '--datanode-key', keyFile]);
      const m = await run.waitFor(/^datanode listening xfer=\S+ uuid=(\S+)$/m, 30_000);
      datanodes.push({ run, uuid: m[1] as string });
    }
    await eventually('4 live datanodes', async () => ((await nn.namenode.namesystem.getFsStats()).liveDatanodes === 4 ? true : undefined));
  }, 60_000);

  afterAll(async () => {
    for (const d of datanodes) if (d.run.child.exitCode === null && d.run.child.signalCode === null) d.run.child.kill('SIGTERM');
    await Promise.all(datanodes.map((d) => d.run.exited));
    await nn.close();
    rmSync(work, { recursive: true, force: true });
  });

  test('the write succeeds or fails cleanly, and the blocks are re-replicated afterwards', async () => {
    const ns = nn.namenode.namesystem;
    const caller = makeCaller(nn.superuser, [], ns.config);
    const data = randomBytes(24 * BLOCK + 777);
    const local = join(work, 'big');
    writeFileSync(local, data);
    const put = hdfs(nn.address, nn.superuser, ['put', local, '/big']);
    // Kill a datanode that is in the pipeline of the block being written.
    let completeBlocks = 0;
    const victim = await eventually('a pipeline to kill into', async () => {
      const lbs = await ns.getBlockLocations(caller, '/big', 0, data.length).catch(() => undefined);
      const last = lbs?.lastBlock;
      const uuid = last && lbs.blocks.length >= 2 ? last.locations[1]?.datanode.uuid : undefined;
      completeBlocks = (lbs?.blocks.length ?? 1) - 1;
      return uuid ? datanodes.find((d) => d.uuid === uuid) : undefined;
    });
    victim.run.child.kill('SIGKILL');
    const result = await put;
    const st = await eventually('the file to be closed (by the client or by lease recovery)', async () => {
      const s = await ns.getFileInfo(caller, '/big');
      return s !== undefined && !s.underConstruction ? { s } : undefined;
    }, 30_000).catch(async (e) => {
      const { createMysqlConnection } = await import('../../schema/mysql-config');
      const c = await createMysqlConnection(nn.db.config);
      for (const t of ['blocks', 'replicas', 'pipeline_targets', 'datanode_commands', 'leases', 'lease_paths', 'datanodes']) {
        const [rows] = await c.query(`SELECT * FROM ${t}`);
        process.stdout.write(`${t}: ${JSON.stringify(rows)}\n`);
      }
      process.stdout.write(`put: ${JSON.stringify(result)}\n`);
      await c.end();
      throw e;
    });
    // Nobody deleted it: the file is there, closed, and reads back as exactly its length of the data —
    // all of it when the client succeeded, else at least every block complete before the kill.
    const out = join(work, 'big-out');
    const got = await hdfs(nn.address, nn.superuser, ['get', '/big', out]);
    if (got.code !== 0) process.stdout.write(`get failed: ${got.stderr}; file ${JSON.stringify(st.s)}; put: ${result.stderr}\n`);
    expect(got).toMatchObject({ code: 0, stderr: '' });
    const back = readFileSync(out);
    expect(back.length).toBe(st.s.length);
    if (result.code === 0) {
      expect(st.s.length).toBe(data.length);
    } else {
      expect(result.stderr.length).toBeGreaterThan(0);
      expect(st.s.length).toBeGreaterThanOrEqual(completeBlocks * BLOCK);
    }
    expect(back.equals(data.subarray(0, back.length))).toBe(true);
    process.stdout.write(`datanode kill during put: client ${result.code === 0 ? 'succeeded' : `failed (${result.stderr.trim().split('\n').pop()})`}, file length ${st.s.length}, ${completeBlocks} blocks complete at the kill\n`);
    // The dead datanode's replicas are re-created on the surviving three.
    await eventually('every block back at 3 live replicas', async () => {
      const lbs = await ns.getBlockLocations(caller, '/big', 0, 1 << 30);
      return lbs.blocks.every((b) => b.locations.length === 3 && !b.locations.some((l) => l.datanode.uuid === victim.uuid)) ? true : undefined;
    }, 60_000).catch(async (e) => {
      const lbs = await ns.getBlockLocations(caller, '/big', 0, 1 << 30);
      process.stdout.write(`blocks: ${JSON.stringify(lbs.blocks.map((b) => [b.block.index, b.block.numBytes, b.block.state, b.locations.map((l) => l.datanode.uuid.slice(0, 6))]))}\n`);
      const { createMysqlConnection } = await import('../../schema/mysql-config');
      const c = await createMysqlConnection(nn.db.config);
      for (const t of ['replicas', 'datanode_commands', 'command_targets', 'under_replicated', 'datanodes']) {
        const [rows] = await c.query(`SELECT * FROM ${t}`);
        process.stdout.write(`${t}: ${JSON.stringify(rows)}\n`);
      }
      await c.end();
      for (const d of datanodes) process.stdout.write(`datanode ${d.uuid.slice(0, 6)} stdout: ${d.run.stdout().slice(-3000)} stderr: ${d.run.stderr().slice(-2000)}\n`);
      throw e;
    });
  }, 120_000);
});
