import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { swiftOrphanStore } from '../../cli/commands/swift-orphan-store';
import { SharedOrphanSweeper } from '../../namenode/leader/duties/shared-orphans';
import { makeCaller } from '../../namenode/security/caller';
import { hdfs } from '../harness/go-hdfs';
import { payload } from '../harness/payload';
import { eventually } from '../harness/replica-files';
import { SWIFT_CONTAINER, swiftFleet, type SwiftFleet } from '../harness/swift-fleet';

const BLOCK = 1024 * 1024;
const HOUR = 60 * 60_000;
let f: SwiftFleet;

beforeAll(async () => {
  f = await swiftFleet('swiftdel', 1, { config: { blockSize: BLOCK } });
}, 180_000);
afterAll(async () => {
  await f?.close();
});

async function put(path: string, size: number): Promise<void> {
  const local = join(f.work, path.replace(/\//g, '_'));
  writeFileSync(local, payload(size, size));
  const r = await hdfs(f.nn.address, f.nn.superuser, ['put', local, path]);
  if (r.code !== 0) throw new Error(`put ${path}: ${r.stderr}`);
}

async function rm(path: string): Promise<void> {
  const r = await hdfs(f.nn.address, f.nn.superuser, ['rm', path]);
  if (r.code !== 0) throw new Error(`rm ${path}: ${r.stderr}`);
}

async function objectsOf(path: string): Promise<string[]> {
  const ns = f.nn.namenode.namesystem;
  const lbs = await ns.getBlockLocations(makeCaller(f.nn.superuser, [], ns.config), path, 0, Number.MAX_SAFE_INTEGER);
  return lbs.blocks.map((b) => `blk_${b.block.blockId}_${b.block.genStamp}`);
}

const emptied = (what: string): Promise<true> => eventually(what, async () => ((await f.objects()).length === 0 ? true : undefined), 60_000);

test('deleting files deletes their Swift objects through the gateway’s queue', async () => {
  await put('/a', 2 * BLOCK + 5);
  await put('/b', 10);
  expect((await f.objects()).sort()).toEqual([...(await objectsOf('/a')), ...(await objectsOf('/b'))].sort());
  await rm('/a');
  await rm('/b');
  await emptied('the objects deleted');
});

test('a delete that finds Swift down is retried and done once Swift is back', async () => {
  await put('/c', BLOCK + 1);
  expect(await f.objects()).toHaveLength(2);
  const [gw] = f.gateways;
  if (!gw) throw new Error('no gateway');
  await f.swift.stopProxy();
  try {
    await rm('/c');
    // The namenode hands the invalidation over with a heartbeat; the gateway's first attempt fails.
    await eventually('a failed delete', async () => (/swift delete failed; retrying/.test(gw.run.stdout() + gw.run.stderr()) ? true : undefined), 60_000);
  } finally {
    await f.swift.startProxy();
  }
  await emptied('the objects deleted after Swift came back');
});

test('the leader’s orphan sweep removes old objects no block row references, and keeps young ones and referenced ones', async () => {
  await put('/kept', BLOCK + 3);
  const referenced = await objectsOf('/kept');
  // Orphans as a killed gateway or an interrupted append leaves them: a block no row has, and an old stamp of a live block.
  const orphanFile = join(f.work, 'orphan');
  writeFileSync(orphanFile, 'x'.repeat(100));
  const [first] = referenced;
  const stale = first?.replace(/_(\d+)$/, (_, gs: string) => `_${Number(gs) - 1}`) ?? '';
  const orphans = ['blk_987654321_1001', stale];
  for (const name of orphans) await f.swift.swiftCli(['upload', '--object-name', name, SWIFT_CONTAINER, orphanFile]);
  // Not a block's: never touched.
  await f.swift.swiftCli(['upload', '--object-name', 'README', SWIFT_CONTAINER, orphanFile]);
  expect((await f.objects()).sort()).toEqual([...referenced, ...orphans, 'README'].sort());
  // A Static Large Object's segments whose manifest never came (an upload that died), and a segment of a referenced block.
  const segments = `${SWIFT_CONTAINER}_segments`;
  const segmentList = async (): Promise<string[]> => (await f.swift.swiftCli(['list', segments])).split('\n').filter((l) => l !== '');
  await f.swift.swiftCli(['upload', '--object-name', 'blk_555_1/000000', segments, orphanFile]);
  await f.swift.swiftCli(['upload', '--object-name', `${first}/000000`, segments, orphanFile]);

  const creds = JSON.parse(readFileSync(f.swift.credentialsFile(), 'utf8')) as Parameters<typeof swiftOrphanStore>[0];
  const store = swiftOrphanStore(creds, SWIFT_CONTAINER, 30_000);
  try {
    const ctx = f.nn.namenode.namesystem.context;
    // Page size 1000 > objects, so one round is one whole sweep (the container's page, then the segments').
    const young = new SharedOrphanSweeper(store, { graceMs: HOUR, intervalMs: 0 });
    expect(await young.round(ctx, Date.now())).toBe(0);
    expect(young.sweeps).toBe(1);
    expect((await f.objects()).length).toBe(referenced.length + 3);
    expect(await segmentList()).toHaveLength(2);

    const sweeper = new SharedOrphanSweeper(store, { graceMs: HOUR, intervalMs: 0, removalsPerRound: 1 });
    // An hour on: the orphans are past the grace age; one removal per round bounds the rate.
    for (let i = 0; i < 3; i++) expect(await sweeper.round(ctx, Date.now() + 2 * HOUR)).toBe(1);
    expect(await sweeper.round(ctx, Date.now() + 2 * HOUR)).toBe(0);
    expect((await f.objects()).sort()).toEqual([...referenced, 'README'].sort());
    expect(await segmentList()).toEqual([`${first}/000000`]);
  } finally {
    store.close();
  }
  // The referenced file still reads, byte-exact.
  const back = join(f.work, 'kept-back');
  expect((await hdfs(f.nn.address, f.nn.superuser, ['get', '/kept', back])).code).toBe(0);
  expect(readFileSync(back).equals(payload(BLOCK + 3, BLOCK + 3))).toBe(true);
});
