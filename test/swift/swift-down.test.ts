import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlockState } from '../../namenode/domain/located-blocks';
import { makeCaller } from '../../namenode/security/caller';
import { hdfs } from '../harness/go-hdfs';
import { payload } from '../harness/payload';
import { swiftFleet, type SwiftFleet } from '../harness/swift-fleet';

const BLOCK = 1024 * 1024;
let f: SwiftFleet;

beforeAll(async () => {
  // A Swift request stalled for 2 s fails; no read cache, so every read reaches Swift.
  f = await swiftFleet('swiftdown', 2, { config: { blockSize: BLOCK }, datanodeArgs: ['--swift-timeout-ms', '2000', '--swift-read-cache-bytes', '0'] });
}, 180_000);
afterAll(async () => {
  f?.swift.thawProxy();
  await f?.close();
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Every complete block of `path` has its object in Swift: no complete block references a missing object. */
async function completeBlocksHaveObjects(path: string): Promise<void> {
  const ns = f.nn.namenode.namesystem;
  const status = await ns.getFileInfo(makeCaller(f.nn.superuser, [], ns.config), path);
  if (!status) return;
  const located = await ns.getBlockLocations(makeCaller(f.nn.superuser, [], ns.config), path, 0, Number.MAX_SAFE_INTEGER);
  const objects = new Set(await f.objects());
  for (const lb of located.blocks) {
    if (lb.block.state === BlockState.Complete) expect(objects.has(`blk_${lb.block.blockId}_${lb.block.genStamp}`)).toBe(true);
  }
}

test('Swift hung during a write and a read: clean errors after a bounded time, the namespace unharmed; service resumes when Swift returns', async () => {
  const before = payload(2 * BLOCK + 5, 1);
  writeFileSync(join(f.work, 'before'), before);
  expect((await hdfs(f.nn.address, f.nn.superuser, ['put', join(f.work, 'before'), '/before'])).code).toBe(0);
  const objectsBefore = await f.objects();

  f.swift.freezeProxy();
  try {
    // The write: the datanode cannot upload the finalized block, so the client hears an error (the harness's 30 s limit not reached).
    const during = payload(BLOCK + 100, 2);
    writeFileSync(join(f.work, 'during'), during);
    const put = await hdfs(f.nn.address, f.nn.superuser, ['put', join(f.work, 'during'), '/during']);
    expect(put.code).not.toBe(0);
    expect(put.stderr).not.toBe('');
    // The read: every gateway's GET stalls and fails; the client gives up with an error.
    const cat = await hdfs(f.nn.address, f.nn.superuser, ['cat', '/before']);
    expect(cat.code).not.toBe(0);
    expect(cat.stderr).not.toBe('');
  } finally {
    f.swift.thawProxy();
  }

  // Nothing of the failed write is complete without its object; the earlier file is whole.
  await completeBlocksHaveObjects('/during');
  await completeBlocksHaveObjects('/before');
  expect(await f.objects()).toEqual(expect.arrayContaining(objectsBefore));
  const ns = f.nn.namenode.namesystem;
  const failed = await ns.getFileInfo(makeCaller(f.nn.superuser, [], ns.config), '/during');
  if (failed && !failed.underConstruction) expect(failed.length).toBe(0);

  // Swift is back: reads and writes work again.
  const back = join(f.work, 'before-back');
  expect((await hdfs(f.nn.address, f.nn.superuser, ['get', '/before', back])).stderr).toBe('');
  expect(sha(readFileSync(back))).toBe(sha(before));
  const after = payload(BLOCK + 7, 3);
  writeFileSync(join(f.work, 'after'), after);
  const put = await hdfs(f.nn.address, f.nn.superuser, ['put', join(f.work, 'after'), '/after']);
  expect(put.stderr).toBe('');
  const afterBack = join(f.work, 'after-back');
  expect((await hdfs(f.nn.address, f.nn.superuser, ['get', '/after', afterBack])).code).toBe(0);
  expect(sha(readFileSync(afterBack))).toBe(sha(after));
}, 180_000);
