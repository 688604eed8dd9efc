import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCaller } from '../../namenode/security/caller';
import { hdfs } from '../harness/go-hdfs';
import { payload } from '../harness/payload';
import { eventually } from '../harness/replica-files';
import { SWIFT_CONTAINER, swiftFleet, type SwiftFleet } from '../harness/swift-fleet';

const BLOCK = 1024 * 1024;
let f: SwiftFleet;

beforeAll(async () => {
  // The sweep as the leading namenode runs it, with no grace age, so the test need not wait an hour.
  f = await swiftFleet('swiftorph', 1, { config: { blockSize: BLOCK, housekeepingIntervalMs: 300 }, orphanSweep: { graceMs: 1, intervalMs: 0 } });
}, 180_000);
afterAll(async () => {
  await f?.close();
});

test('the leading namenode’s housekeeping removes objects no block references, and only those', async () => {
  const local = join(f.work, 'kept');
  const data = payload(2 * BLOCK + 9, 3);
  writeFileSync(local, data);
  expect((await hdfs(f.nn.address, f.nn.superuser, ['put', local, '/kept'])).code).toBe(0);
  const ns = f.nn.namenode.namesystem;
  const lbs = await ns.getBlockLocations(makeCaller(f.nn.superuser, [], ns.config), '/kept', 0, Number.MAX_SAFE_INTEGER);
  const referenced = lbs.blocks.map((b) => `blk_${b.block.blockId}_${b.block.genStamp}`);
  expect(referenced).toHaveLength(3);

  const junk = join(f.work, 'junk');
  writeFileSync(junk, 'left behind by a killed gateway');
  const orphans = ['blk_4242_1001', 'blk_4243_1002'];
  for (const name of orphans) await f.swift.swiftCli(['upload', '--object-name', name, SWIFT_CONTAINER, junk]);
  await eventually('the orphans swept', async () => {
    const now = await f.objects();
    return orphans.some((o) => now.includes(o)) ? undefined : now;
  }, 60_000);
  expect((await f.objects()).sort()).toEqual([...referenced].sort());
  const back = join(f.work, 'back');
  expect((await hdfs(f.nn.address, f.nn.superuser, ['get', '/kept', back])).code).toBe(0);
  expect(readFileSync(back).equals(data)).toBe(true);
});
