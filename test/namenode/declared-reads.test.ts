import { ReplicaEvent } from '../../namenode/domain/datanode-messages';
import type { QueryBatch, SqlQuery } from '../../namenode/dal/query';
import { namesystemFixture, type NamesystemFixture } from '../harness/namesystem-fixture';

let f: NamesystemFixture;
beforeAll(async () => {
  f = await namesystemFixture('declreads');
});
afterAll(() => f.close());

/**
 * A write declares the reads its execute phase makes (WriteOptions.reads):
 * they travel in the lock round trip, so complete costs the lock round
 * trip and the commit round trip, never a third for the file's blocks.
 */
test('complete reads the file blocks in its lock round trip: two round trips in all', async () => {
  const clientName = 'DFSClient_declared';
  await f.ns.create(f.root, { src: '/d1', masked: 0o644, clientName, clientMachine: '127.0.0.1', flags: 1, createParent: false, replication: 1, blockSize: 1 << 20 });
  // create hinted the file's id: no resolution read (hinted-path.ts); lock and declared reads (1) + writes and COMMIT (1)
  const before = f.sqlDb.roundTrips;
  expect(await f.ns.complete(f.root, '/d1', clientName)).toBe(true);
  expect(f.sqlDb.roundTrips - before).toBe(2);
  expect((await f.ns.getFileInfo(f.root, '/d1'))?.underConstruction).toBe(false);
});

test('without the file\'s hint (another namenode made it) complete resolves first: three round trips, the reads still in the lock\'s', async () => {
  const clientName = 'DFSClient_unhinted';
  await f.ns.create(f.root, { src: '/d3', masked: 0o644, clientName, clientMachine: '127.0.0.1', flags: 1, createParent: false, replication: 1, blockSize: 1 << 20 });
  f.ns.cache.invalidate(['/d3']);
  const before = f.sqlDb.roundTrips;
  expect(await f.ns.complete(f.root, '/d3', clientName)).toBe(true);
  // resolve (1) + lock and declared reads (1) + writes and COMMIT (1)
  expect(f.sqlDb.roundTrips - before).toBe(3);
});

test('delete of a file reads its replicas in the lock round trip: two round trips', async () => {
  const clientName = 'DFSClient_deleted';
  await f.ns.create(f.root, { src: '/d4', masked: 0o644, clientName, clientMachine: '127.0.0.1', flags: 1, createParent: false, replication: 1, blockSize: 1 << 20 });
  expect(await f.ns.complete(f.root, '/d4', clientName)).toBe(true);
  const before = f.sqlDb.roundTrips;
  expect(await f.ns.delete(f.root, '/d4', false)).toBe(true);
  expect(f.sqlDb.roundTrips - before).toBe(2);
  expect(await f.ns.getFileInfo(f.root, '/d4')).toBeUndefined();
});

test('fsync of a length declares the same reads: two round trips', async () => {
  const clientName = 'DFSClient_twice';
  await f.ns.create(f.root, { src: '/d2', masked: 0o644, clientName, clientMachine: '127.0.0.1', flags: 1, createParent: false, replication: 1, blockSize: 1 << 20 });
  await f.ns.getFileInfo(f.root, '/d2');
  const before = f.sqlDb.roundTrips;
  await f.ns.fsync(f.root, '/d2', clientName, 10);
  expect(f.sqlDb.roundTrips - before).toBe(2);
});

/**
 * A group commit joins its members' reads of file block rows (each
 * complete's, each addBlock's) in one statement over all their files
 * (QueryBatch): each file's answer must be the one its own read gives —
 * blocks in order, replicas, pipeline, and nothing for a file without any.
 */
test('file block rows read for several files at once are, file by file, those each read alone gives', async () => {
  const dns = ['dn-a', 'dn-b'];
  for (const [i, uuid] of dns.entries()) {
    await f.ns.datanodes.register({ uuid, ipAddr: `10.3.0.${i + 1}`, hostName: uuid, xferPort: 9866, infoPort: 9864, ipcPort: 9867 });
    await f.ns.datanodes.heartbeat(uuid, { capacity: 1e12, dfsUsed: 0, remaining: 1e12, blockPoolUsed: 0, nonDfsUsed: 0, xceiverCount: 0 }, [
      { storageId: `DS-${uuid}`, storageType: 1, capacity: 1e12, dfsUsed: 0, remaining: 1e12 },
    ]);
  }
  const clientName = 'DFSClient_rowsets';
  const files = ['/rs0', '/rs1', '/rs2'];
  const ids: number[] = [];
  for (const src of files) {
    ids.push((await f.ns.create(f.root, { src, masked: 0o644, clientName, clientMachine: '127.0.0.1', flags: 1, createParent: false, replication: 2, blockSize: 1 << 20 })).fileId);
  }
  // rs0: two blocks, the first with reported replicas; rs1: one block (a pipeline); rs2: none.
  const first = await f.ns.addBlock(f.root, { src: '/rs0', clientName, previous: undefined, exclude: [], favored: [], writer: '' });
  for (const uuid of dns) {
    await f.ns.datanodes.replicasChanged(uuid, [{ blockId: first.block.blockId, genStamp: first.block.genStamp, numBytes: 4096, finalized: true, storageId: `DS-${uuid}`, event: ReplicaEvent.Received }]);
  }
  await f.ns.addBlock(f.root, { src: '/rs0', clientName, previous: { ...first.block, numBytes: 4096 }, exclude: [], favored: [], writer: '' });
  await f.ns.addBlock(f.root, { src: '/rs1', clientName, previous: undefined, exclude: [], favored: [], writer: '' });
  const blocks = f.ns.runner.autocommitReads('test').dal.blocks;
  for (const withPipeline of [true, false]) {
    const alone = await Promise.all(ids.map((id) => f.sqlDb.run(blocks.findFileRowSet(id, withPipeline))));
    const batch = (blocks.findFileRowSet(ids[0] as number, withPipeline) as SqlQuery<unknown>).batch as QueryBatch<unknown>;
    const together = await f.sqlDb.run(batch.many(ids));
    expect(ids.map((id) => together(id))).toEqual(alone);
    expect(alone.map((s) => [s.blocks.length, s.replicas.length > 0, s.pipeline.length > 0])).toEqual([
      [2, true, withPipeline],
      [1, false, withPipeline],
      [0, false, false],
    ]);
  }
});
