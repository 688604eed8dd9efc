import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlockState } from '../../namenode/domain/located-blocks';
import { makeCaller } from '../../namenode/security/caller';
import { hdfs } from '../harness/go-hdfs';
import { ensureGoProgram, goAppend, GO_WRITE, goWrite } from '../harness/go-programs';
import { payload } from '../harness/payload';
import { eventually } from '../harness/eventually';
import { swiftFleet, SWIFT_CONTAINER, type SwiftFleet } from '../harness/swift-fleet';

/**
 * The gateway a block is written through is killed -9 before any of the
 * block reached Swift, and never comes back: lease recovery must still
 * close the file. Another live gateway recovers the block from Swift —
 * where nothing of it is — so the block is dropped and the file ends at its
 * last durable length (HDFS drops an empty last block).
 */
const BLOCK = 1024 * 1024;
const FLUSHES = 3000;
const PIECE = 37;
let f: SwiftFleet;

beforeAll(async () => {
  ensureGoProgram('write', GO_WRITE);
  // A gateway silent for 10 s is dead, so the test need not wait HDFS's 10.5 minutes.
  f = await swiftFleet('swiftlost', 3, { config: { blockSize: BLOCK, heartbeatExpiryMs: 10_000 } });
}, 300_000);
afterAll(async () => {
  await f?.close();
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const caller = () => makeCaller(f.nn.superuser, [], f.nn.namenode.namesystem.config);
const located = (path: string) => f.nn.namenode.namesystem.getBlockLocations(caller(), path, 0, Number.MAX_SAFE_INTEGER);

test('kill -9 of the writing gateway before its block is uploaded, never restarted: recoverLease closes the file at its last durable length, and no block is left without its object', async () => {
  const data = payload(2 * BLOCK + 999, 5);
  const path = '/lost-gateway';
  // The first FLUSHES small writes are each flushed: the first block stays under construction, a little
  // of it staged on its gateway, for as long as they take.
  const write = goWrite(f.nn.address, f.nn.superuser, path, data, { blockSize: BLOCK, flushes: FLUSHES, piece: PIECE });
  const { lb, gw, staged } = await eventually(
    'the first block under construction, some of it staged',
    async () => {
      const lbs = await located(path).catch(() => undefined);
      const first = lbs?.blocks[0];
      if (!lbs || lbs.blocks.length !== 1 || !first || first.block.state === BlockState.Complete) return undefined;
      const at = f.gateways.findIndex((g) => g.uuid === first.locations[0]?.datanode.uuid);
      const bytes = at >= 0 ? f.stagedBytes(at, first.block.blockId) : 0;
      return bytes > 0 ? { lb: first, gw: at, staged: bytes } : undefined;
    },
    30_000,
    10,
  );
  const victim = f.gateways[gw];
  if (!victim) throw new Error('no such gateway');
  await f.datanodes.kill(victim);
  // Killed with a part of the block staged: a block is uploaded only whole, so none of it is in Swift.
  const stagedAtKill = f.stagedBytes(gw, lb.block.blockId);
  expect(stagedAtKill).toBeLessThan(BLOCK);
  expect((await f.objects()).filter((o) => o.startsWith(`blk_${lb.block.blockId}_`))).toEqual([]);
  const { code, stderr } = await write;
  console.log(`killed ${victim.uuid} with ${staged}..${stagedAtKill} bytes of blk_${lb.block.blockId} staged; client exit ${code}: ${stderr.trim()}`);
  expect(code).not.toBe(0);

  const ns = f.nn.namenode.namesystem;
  const started = Date.now();
  const closed = await eventually('recoverLease to close the file', async () => ((await ns.recoverLease(caller(), path)) ? true : undefined), 60_000).catch((e: Error) => e);
  console.log(`recoverLease: ${closed instanceof Error ? closed.message : "closed the file"} ${Date.now() - started} ms after the client gave up (dead after 10 s of silence)`);
  expect(closed).toBe(true);
  const status = await ns.getFileInfo(caller(), path);
  expect(status?.underConstruction).toBeFalsy();
  // Nothing of the block was durable (hflushed bytes live on the writer gateway's staging disk only): it is dropped.
  expect(Number(status?.length)).toBe(0);
  expect((await located(path)).blocks).toHaveLength(0);
  const copy = join(f.work, 'copy');
  const get = await hdfs(f.nn.address, f.nn.superuser, ['get', path, copy]);
  expect(get.stderr).toBe('');
  expect(readFileSync(copy).length).toBe(0);
  // The stand-in gateway's empty object for the block is deleted with it.
  await eventually('no object of the dropped block', async () => ((await f.objects()).some((o) => o.startsWith(`blk_${lb.block.blockId}_`)) ? undefined : true), 30_000);
}, 180_000);

test('append after the gateway that wrote the last block died: another gateway continues it from its object in Swift', async () => {
  const path = '/appended-elsewhere';
  const first = payload(BLOCK + 4321, 8);
  const more = payload(BLOCK / 2 + 99, 9);
  const local = join(f.work, 'first');
  writeFileSync(local, first);
  expect((await hdfs(f.nn.address, f.nn.superuser, ['put', local, path])).stderr).toBe('');
  const before = (await located(path)).blocks;
  const last = before[before.length - 1];
  if (!last) throw new Error('no block');
  // The gateway whose report the namenode holds for the partial last block (listed first): its writer.
  const ns = f.nn.namenode.namesystem;
  const writerUuid = await eventually(
    'the last block reported',
    async () => {
      const lb = (await located(path)).blocks[before.length - 1];
      return lb?.block.state === BlockState.Complete ? lb.locations[0]?.datanode.uuid : undefined;
    },
    10_000,
  );
  const writer = f.gateways.find((g) => g.uuid === writerUuid);
  if (!writer) throw new Error(`the last block's copy is on ${writerUuid}, no gateway of the fleet`);
  const liveBefore = (await ns.getFsStats()).liveDatanodes;
  await f.datanodes.kill(writer);
  await eventually('the writer gateway dead', async () => ((await ns.getFsStats()).liveDatanodes === liveBefore - 1 ? true : undefined), 60_000);
  const append = await goAppend(f.nn.address, f.nn.superuser, path, more);
  expect(append.stderr).toBe('');
  expect(append.code).toBe(0);
  const copy = join(f.work, 'appended');
  expect((await hdfs(f.nn.address, f.nn.superuser, ['get', path, copy])).stderr).toBe('');
  expect(sha(readFileSync(copy))).toBe(sha(Buffer.concat([first, more])));
  // Every block has its object, of the block's length (the Go client appends under the block's own stamp:
  // the object is replaced whole by the continuing gateway, and a gateway that had read the old one reads again).
  const after = (await located(path)).blocks;
  const objects = new Set(await f.objects());
  for (const lb of after) {
    const name = `blk_${lb.block.blockId}_${lb.block.genStamp}`;
    expect(objects.has(name)).toBe(true);
    expect(await f.swift.swiftCli(['stat', SWIFT_CONTAINER, name])).toMatch(new RegExp(`Nnfleet-Length: ${lb.block.numBytes}\\b`));
  }
  console.log(`appended through another gateway after killing ${writer.uuid}, the last block's writer`);
}, 180_000);
