import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlockState } from '../../namenode/domain/located-blocks';
import { makeCaller } from '../../namenode/security/caller';
import { hdfs } from '../harness/go-hdfs';
import { ensureGoProgram, GO_WRITE, goWrite } from '../harness/go-programs';
import { payload } from '../harness/payload';
import { eventually } from '../harness/eventually';
import { swiftFleet, SWIFT_CONTAINER, type SwiftFleet } from '../harness/swift-fleet';

const BLOCK = 1024 * 1024;
let f: SwiftFleet;

beforeAll(async () => {
  ensureGoProgram('write', GO_WRITE);
  f = await swiftFleet('swiftkillw', 2, { config: { blockSize: BLOCK } });
}, 180_000);
afterAll(async () => {
  await f?.close();
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const caller = () => makeCaller(f.nn.superuser, [], f.nn.namenode.namesystem.config);
const located = (path: string) => f.nn.namenode.namesystem.getBlockLocations(caller(), path, 0, Number.MAX_SAFE_INTEGER);

test('kill -9 of the gateway a block is being written through: the file ends byte-exact (client success) or recoverable to a byte-exact prefix holding every block completed before the kill; no complete block without its object', async () => {
  const data = payload(24 * BLOCK + 3333, 41);
  const path = '/killed-mid-write';
  // test/go/write checks every Write and the Close (complete), so its exit code is the client's word.
  const write = goWrite(f.nn.address, f.nn.superuser, path, data, { blockSize: BLOCK });
  // The kill lands on the gateway of a block under construction, the third or later.
  const inFlight = await eventually(
    'a block after the second under construction',
    async () => {
      const lbs = await located(path).catch(() => undefined);
      const last = lbs?.blocks[lbs.blocks.length - 1];
      if (!lbs || lbs.blocks.length < 3 || !last || last.block.state === BlockState.Complete) return undefined;
      // Bytes of it staged on its gateway already (with none, the file is not recovered: datanode/store/SWIFT.md).
      const gw = f.gateways.findIndex((g) => g.uuid === last.locations[0]?.datanode.uuid);
      return gw >= 0 && f.stagedBytes(gw, last.block.blockId) > 0 ? last : undefined;
    },
    30_000,
    10,
  );
  const victim = f.gateways.find((g) => g.uuid === inFlight.locations[0]?.datanode.uuid);
  if (!victim) throw new Error('the block is on no known gateway');
  await f.datanodes.kill(victim);
  const { code, stderr } = await write;
  console.log(`client after the kill of ${victim.uuid} during block ${inFlight.block.blockId}: exit ${code}; stderr: ${stderr.trim()}`);

  const ns = f.nn.namenode.namesystem;
  if (code !== 0) {
    // The client gave up (the Go client has no pipeline recovery; a shared store's pipeline is one gateway).
    // The gateway comes back on its data dir: the staged copy is still there, so recoverLease closes the file at a prefix of what was sent.
    const back = await f.datanodes.start(`gw${f.gateways.indexOf(victim)}`, f.nn.address, ['--block-store', 'swift', '--swift-credentials', f.swift.credentialsFile(), '--swift-container', SWIFT_CONTAINER]);
    const closed = await eventually('recoverLease to close the file', async () => ((await ns.recoverLease(caller(), path)) ? true : undefined), 60_000).catch((e: Error) => e);
    console.log(`recoverLease: ${closed instanceof Error ? `${closed.message}; the restarted gateway said: ${back.run.stderr().slice(-3000)}` : 'closed'}`);
    expect(closed).toBe(true);
  }
  const status = await ns.getFileInfo(caller(), path);
  expect(status?.underConstruction).toBeFalsy();
  const length = Number(status?.length ?? -1);
  console.log(`file length ${length} of ${data.length} sent`);
  if (code === 0) expect(length).toBe(data.length);
  // Without hflush only the blocks completed before the killed one are promised; its staged, unacknowledged bytes may go.
  else expect(length).toBeGreaterThanOrEqual(inFlight.offset);
  const copy = join(f.work, 'copy');
  const get = await hdfs(f.nn.address, f.nn.superuser, ['get', path, copy]);
  expect(get.stderr).toBe('');
  expect(sha(readFileSync(copy))).toBe(sha(data.subarray(0, length)));
  // No block of the file references an object Swift does not hold.
  const objects = new Set(await f.objects());
  for (const lb of (await located(path)).blocks) {
    expect(lb.block.state).toBe(BlockState.Complete);
    expect(objects.has(`blk_${lb.block.blockId}_${lb.block.genStamp}`)).toBe(true);
  }
}, 180_000);
