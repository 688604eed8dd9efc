import { randomUUID } from 'node:crypto';
import { ReplicaEvent } from '../../namenode/domain/datanode-messages';
import type { LocatedBlock } from '../../namenode/domain/located-blocks';
import { registerLiveDatanodes, storageOf } from '../harness/live-datanodes';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

/**
 * complete and addBlock waiting for a replica report are woken by the
 * report this namenode takes, not by a timer: with the fallback poll and
 * the wait both set to a minute, the call still answers as soon as the
 * report lands, after one more locking transaction. (A missed wake-up
 * would hang the test until jest's timeout: no time is asserted.)
 */
const MINUTE = 60_000;
let f: NamesystemFixture;
const dns: string[] = Array.from({ length: 3 }, () => randomUUID());
const STATS = { capacity: 1e12, dfsUsed: 0, remaining: 1e12, blockPoolUsed: 0, nonDfsUsed: 0, xceiverCount: 0 };
const received = (uuid: string, blockId: number, genStamp: number, numBytes: number) =>
  f.ns.datanodes.replicasChanged(uuid, [{ blockId, genStamp, numBytes, finalized: true, storageId: storageOf(uuid), event: ReplicaEvent.Received }]);
const transactions = () => f.ns.context.runner.stats.transactions;

beforeAll(async () => {
  f = await namesystemFixture('replicawait', { replicaReportWaitMs: MINUTE, replicaReportPollMs: MINUTE });
  await registerLiveDatanodes(f, dns, '10.1.0');
}, 60_000);
afterAll(() => f.close());

async function firstBlock(src: string, client: string): Promise<LocatedBlock> {
  await f.ns.create(f.root, { src, masked: 0o644, clientName: client, clientMachine: 'm', flags: 1, createParent: true, replication: 3, blockSize: 1 << 27 });
  return f.ns.addBlock(f.root, { src, clientName: client, previous: undefined, exclude: [], favored: [], writer: '' });
}

/** Yields until a call sleeps waiting on a file (its first transaction found the copies missing and ended). */
async function untilWaiting(): Promise<void> {
  while (f.ns.context.replicaWaiters.sleeping === 0) await new Promise((r) => setImmediate(r));
}

test('a complete waiting for a replica answers true once the report arrives, after one more transaction', async () => {
  const lb = await firstBlock('/wait/complete', 'writer-1');
  const before = transactions();
  const closing = f.ns.complete(f.root, '/wait/complete', 'writer-1', { blockId: lb.block.blockId, genStamp: lb.block.genStamp, numBytes: 4096 });
  await untilWaiting();
  expect(transactions() - before).toBe(1); // committed the block, found no copy
  await received(lb.locations[0]!.datanode.uuid, lb.block.blockId, lb.block.genStamp, 4096);
  expect(await closing).toBe(true);
  // The report's own transaction, then complete's second and last.
  expect(transactions() - before).toBe(3);
  expect(f.ns.context.replicaWaiters.size).toBe(0);
  expect((await f.ns.getFileInfo(f.root, '/wait/complete'))?.length).toBe(4096);
});

test('an addBlock waiting for the previous-but-one block is woken by its report', async () => {
  const src = '/wait/addblock';
  const b1 = await firstBlock(src, 'writer-2');
  // The second block commits the first, which has no copy yet: allowed (HDFS checks the penultimate only).
  const b2 = await f.ns.addBlock(f.root, { src, clientName: 'writer-2', previous: { ...b1.block, numBytes: 1 << 27 }, exclude: [], favored: [], writer: '' });
  const before = transactions();
  const third = f.ns.addBlock(f.root, { src, clientName: 'writer-2', previous: { ...b2.block, numBytes: 1 << 27 }, exclude: [], favored: [], writer: '' });
  await untilWaiting();
  expect(transactions() - before).toBe(0); // NotReplicatedYet rolls its transaction back
  await received(b1.locations[0]!.datanode.uuid, b1.block.blockId, b1.block.genStamp, 1 << 27);
  expect((await third).block.index).toBe(2);
  expect(transactions() - before).toBe(2);
  expect(f.ns.context.replicaWaiters.size).toBe(0);
});

test('without a report, complete still answers false once replicaReportWaitMs is over', async () => {
  const g = await namesystemFixture('replicawait2', { replicaReportWaitMs: 300, replicaReportPollMs: 50 });
  try {
    const uuid = randomUUID();
    await g.ns.datanodes.register({ uuid, ipAddr: '10.1.1.1', hostName: 'dn', xferPort: 9866, infoPort: 9864, ipcPort: 9867 });
    await g.ns.datanodes.heartbeat(uuid, STATS, [{ storageId: storageOf(uuid), storageType: 1, capacity: 1e12, dfsUsed: 0, remaining: 1e12 }]);
    await g.ns.create(g.root, { src: '/f', masked: 0o644, clientName: 'w', clientMachine: 'm', flags: 1, createParent: true, replication: 1, blockSize: 1 << 27 });
    const lb = await g.ns.addBlock(g.root, { src: '/f', clientName: 'w', previous: undefined, exclude: [], favored: [], writer: '' });
    expect(await g.ns.complete(g.root, '/f', 'w', { blockId: lb.block.blockId, genStamp: lb.block.genStamp, numBytes: 10 })).toBe(false);
    expect(g.ns.context.replicaWaiters.size).toBe(0);
  } finally {
    await g.close();
  }
}, 60_000);

test('the RECEIVED reports of three datanodes arriving together commit in one transaction; a stranger among them is refused alone', async () => {
  const lb = await firstBlock('/wait/together', 'writer-3');
  const before = transactions();
  const stranger = randomUUID();
  const reports = [...dns.map((uuid) => received(uuid, lb.block.blockId, lb.block.genStamp, 4096)), received(stranger, lb.block.blockId, lb.block.genStamp, 4096)];
  const settled = await Promise.allSettled(reports);
  expect(settled.slice(0, 3).map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
  expect(settled[3]).toMatchObject({ status: 'rejected', reason: { kind: 'UnregisteredNode' } });
  expect(transactions() - before).toBe(1);
  const [rows] = await f.pool.query('SELECT datanode_uuid FROM replicas WHERE block_id = ? AND state = 1', [lb.block.blockId]);
  expect((rows as { datanode_uuid: string }[]).map((r) => r.datanode_uuid).sort()).toEqual([...dns].sort());
  expect(await f.ns.complete(f.root, '/wait/together', 'writer-3', { blockId: lb.block.blockId, genStamp: lb.block.genStamp, numBytes: 4096 })).toBe(true);
});
