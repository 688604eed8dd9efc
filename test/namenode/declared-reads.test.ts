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
  await f.ns.getFileInfo(f.root, '/d1'); // warms the path hints: resolution is then one coalesced lookup
  const before = f.sqlDb.roundTrips;
  expect(await f.ns.complete(f.root, '/d1', clientName)).toBe(true);
  // resolve (1) + lock and declared reads (1) + writes and COMMIT (1)
  expect(f.sqlDb.roundTrips - before).toBe(3);
  expect((await f.ns.getFileInfo(f.root, '/d1'))?.underConstruction).toBe(false);
});

test('fsync of a length declares the same reads: three round trips with resolution', async () => {
  const clientName = 'DFSClient_twice';
  await f.ns.create(f.root, { src: '/d2', masked: 0o644, clientName, clientMachine: '127.0.0.1', flags: 1, createParent: false, replication: 1, blockSize: 1 << 20 });
  await f.ns.getFileInfo(f.root, '/d2');
  const before = f.sqlDb.roundTrips;
  await f.ns.fsync(f.root, '/d2', clientName, 10);
  expect(f.sqlDb.roundTrips - before).toBe(3);
});
