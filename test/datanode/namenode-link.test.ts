import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { hadoop } from '../../protocol/generated/hadoop';
import { pickFreePort } from '../../cli/local/free-port';
import { startDatanode, type RunningDatanode } from '../../datanode/datanode';
import { readBlock, writeBlock } from './dtp-test-client';
import { until } from '../harness/eventually';
import { FakeNamenode } from './fake-namenode';

const D = hadoop.hdfs.datanode;
const Status = D.ReceivedDeletedBlockInfoProto.BlockStatus;
const logger = pino({ level: 'silent' });
let root: string;
const cleanups: (() => Promise<void>)[] = [];

const waitFor = (what: string, check: () => boolean): Promise<void> => until(what, check, 15_000, 25);

async function fakeNamenode(port: number): Promise<FakeNamenode> {
  const nn = new FakeNamenode();
  await nn.listen(port);
  cleanups.push(() => nn.close());
  return nn;
}

async function datanode(dir: string, namenodes: string[], log = logger): Promise<RunningDatanode> {
  const dn = await startDatanode({ dataDir: join(root, dir), namenodes, host: '127.0.0.1', xferPort: 0, logger: log, heartbeatIntervalMs: 100, blockAccessTokens: false });
  cleanups.push(() => dn.stop());
  return dn;
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'nnfleet-link-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  rmSync(root, { recursive: true, force: true });
});

describe('namenode link', () => {
  it('serves data before any namenode is up, then registers, reports and follows commands', async () => {
    const port = await pickFreePort();
    const logged: string[] = [];
    const dn = await datanode('dn', [`127.0.0.1:${port}`], pino({ level: 'debug' }, { write: (line: string) => void logged.push(line) }));
    await writeBlock(dn.xferPort, { blockId: 501, generationStamp: 7, data: Buffer.alloc(1000, 1) });
    expect(dn.reportingTo()).toBeUndefined();

    // The namenode comes up only after the datanode has tried it, failed and tried again.
    await waitFor('two failed attempts to reach the namenode', () => logged.filter((l) => l.includes('namenode unreachable; retrying')).length >= 2);
    expect(dn.reportingTo()).toBeUndefined();
    const nn = await fakeNamenode(port);
    await waitFor('a full block report', () => nn.blockReports.length > 0);
    expect(nn.blockReports[0]).toEqual([{ blockId: 501, numBytes: 1000, genStamp: 7, state: 0 }]);
    const reg = nn.registrations[0]!;
    expect(reg.datanodeID).toMatchObject({ ipAddr: '127.0.0.1', datanodeUuid: dn.uuid, xferPort: dn.xferPort });
    expect(reg.storageInfo?.clusterID).toBe('CID-fake');

    await waitFor('a heartbeat', () => nn.heartbeats.length > 0);
    const report = nn.heartbeats[0]!.reports![0]!;
    expect(Number(report.capacity)).toBeGreaterThan(0);
    expect(Number(report.remaining)).toBeGreaterThan(0);
    expect(Number(report.dfsUsed)).toBeGreaterThanOrEqual(1000);
    expect(report.storage?.storageUuid).toMatch(/^DS-/);

    await writeBlock(dn.xferPort, { blockId: 502, generationStamp: 8, data: Buffer.alloc(70_000, 2) });
    await waitFor('an incremental report', () => nn.incremental.some((c) => c.status === Status.RECEIVED));
    // A RECEIVING still pending when the block is finalized is replaced by the RECEIVED (one entry per block, as HDFS).
    const receiving = { blockId: 502, numBytes: 0, genStamp: 8, status: Status.RECEIVING };
    const received = { blockId: 502, numBytes: 70_000, genStamp: 8, status: Status.RECEIVED };
    expect([[received], [receiving, received]]).toContainEqual(nn.incremental);

    nn.commands.push({
      cmdType: D.DatanodeCommandProto.Type.BlockCommand,
      blkCmd: { action: D.BlockCommandProto.Action.INVALIDATE, blockPoolId: 'BP-fake-1', blocks: [{ blockId: 501, genStamp: 7, numBytes: 1000 }], targets: [] },
    });
    await waitFor('the deletion report', () => nn.incremental.some((c) => c.status === Status.DELETED));
    expect(nn.incremental.at(-1)).toEqual({ blockId: 501, numBytes: 1000, genStamp: 7, status: Status.DELETED });
    expect((await readBlock(dn.xferPort, 501, 0, 1)).response.status).toBe(hadoop.hdfs.Status.ERROR);

    nn.commands.push({ cmdType: D.DatanodeCommandProto.Type.RegisterCommand, registerCmd: {} });
    await waitFor('re-registration and a new full report', () => nn.registrations.length === 2 && nn.blockReports.length === 2);
    expect(nn.blockReports[1]).toEqual([{ blockId: 502, numBytes: 70_000, genStamp: 8, state: 0 }]);
  });

  it('finalizes an abandoned RBW replica at the new generation stamp on a recovery command', async () => {
    const port = await pickFreePort();
    const nn = await fakeNamenode(port);
    const dn = await datanode('dn', [`127.0.0.1:${port}`]);
    await waitFor('registration', () => nn.blockReports.length === 1);
    await writeBlock(dn.xferPort, { blockId: 777, generationStamp: 3, data: Buffer.alloc(5000, 4), abandon: true });
    await waitFor('the receiving report', () => nn.incremental.some((c) => c.blockId === 777));
    nn.commands.push({
      cmdType: D.DatanodeCommandProto.Type.BlockRecoveryCommand,
      recoveryCmd: {
        blocks: [{ newGenStamp: 4, block: { b: { poolId: 'BP-fake-1', blockId: 777, generationStamp: 3, numBytes: 0 }, offset: 0, locs: [], corrupt: false, blockToken: { identifier: Buffer.alloc(0), password: Buffer.alloc(0), kind: '', service: '' } } }],
      },
    });
    await waitFor('the recovered replica', () => nn.incremental.some((c) => c.blockId === 777 && c.status === Status.RECEIVED));
    expect(nn.incremental.at(-1)).toEqual({ blockId: 777, numBytes: 5000, genStamp: 4, status: Status.RECEIVED });
    expect((await readBlock(dn.xferPort, 777, 0, 5000)).data.equals(Buffer.alloc(5000, 4))).toBe(true);
  });

  it('re-registers after the namenode restarts, keeping its uuid across its own restarts', async () => {
    const port = await pickFreePort();
    let nn = await fakeNamenode(port);
    const dn = await datanode('dn', [`127.0.0.1:${port}`]);
    await waitFor('registration', () => nn.blockReports.length === 1);
    await nn.close();
    nn = await fakeNamenode(port);
    await waitFor('registration with the restarted namenode', () => nn.blockReports.length === 1);
    expect(nn.registrations[0]!.datanodeID?.datanodeUuid).toBe(dn.uuid);

    await dn.stop();
    const again = await datanode('dn', [`127.0.0.1:${port}`]);
    expect(again.uuid).toBe(dn.uuid);
  });

  it('heartbeats every namenode but reports blocks to one, failing over when it goes away', async () => {
    const ports = [await pickFreePort(), await pickFreePort()];
    const nns = [await fakeNamenode(ports[0]!), await fakeNamenode(ports[1]!)];
    const dn = await datanode('dn', ports.map((p) => `127.0.0.1:${p}`));
    await waitFor('heartbeats to both', () => nns.every((n) => n.heartbeats.length > 1));
    await waitFor('a reporter', () => dn.reportingTo() !== undefined);
    const reporter = nns[ports.findIndex((p) => dn.reportingTo() === `127.0.0.1:${p}`)]!;
    const other = nns.find((n) => n !== reporter)!;
    await writeBlock(dn.xferPort, { blockId: 900, data: Buffer.alloc(10, 1) });
    await waitFor('the incremental report', () => reporter.incremental.some((c) => c.blockId === 900 && c.status === Status.RECEIVED));
    expect(other.incremental).toEqual([]);
    // Whichever namenode registered first had the reports until the preferred one came.
    const before = other.blockReports.length;
    expect(before).toBeLessThanOrEqual(1);

    await reporter.close();
    await waitFor('failover', () => other.blockReports.length === before + 1);
    expect(other.blockReports.at(-1)).toEqual([{ blockId: 900, numBytes: 10, genStamp: 1001, state: 0 }]);
    expect(dn.reportingTo()).toBe(`127.0.0.1:${ports[nns.indexOf(other)]}`);
  });

  it('folds the received replicas of a burst that arrives while a report is in flight into one next report', async () => {
    const port = await pickFreePort();
    const nn = await fakeNamenode(port);
    const dn = await datanode('dn', [`127.0.0.1:${port}`]);
    await waitFor('a full block report', () => nn.blockReports.length > 0);
    let release: () => void = () => undefined;
    nn.holdIncremental = new Promise((r) => (release = r));
    await writeBlock(dn.xferPort, { blockId: 601, generationStamp: 1, data: Buffer.alloc(100, 1) });
    await waitFor('a report in flight', () => nn.incrementalCalls.length === 1);
    const burst = Array.from({ length: 10 }, (_, i) => 610 + i);
    await Promise.all(burst.map((blockId) => writeBlock(dn.xferPort, { blockId, generationStamp: 1, data: Buffer.alloc(100, 2) })));
    release();
    const received = () => nn.incrementalCalls.flat().filter((c) => c.status === Status.RECEIVED).map((c) => c.blockId);
    await waitFor('every received replica reported', () => received().length === 11);
    expect(received().sort((a, b) => a - b)).toEqual([601, ...burst]);
    // One call per block without coalescing; here the held one, the one that took everything
    // queued behind it, and at most one more for a replica finalized after its writer's last ack.
    expect(nn.incrementalCalls.length).toBeLessThanOrEqual(3);
  });
});
