import { startProcess } from '../harness/process-fixture';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeCaller } from '../../namenode/security/caller';
import { GO_HDFS, hdfs } from '../harness/go-hdfs';
import { payload } from '../harness/payload';
import { swiftFleet, type SwiftFleet } from '../harness/swift-fleet';

const BLOCK = 1024 * 1024;
let f: SwiftFleet;

beforeAll(async () => {
  // Blocks of 1 MiB, and a single-object limit below that: every full block is a Static Large Object.
  f = await swiftFleet('swiftgw', 2, { config: { blockSize: BLOCK }, datanodeArgs: ['--swift-max-object-bytes', '700000'] });
}, 180_000);
afterAll(async () => {
  await f?.close();
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function blockCount(path: string): Promise<number> {
  const ns = f.nn.namenode.namesystem;
  const caller = makeCaller(f.nn.superuser, [], ns.config);
  const lbs = await ns.getBlockLocations(caller, path, 0, Number.MAX_SAFE_INTEGER);
  return lbs.blocks.length;
}

test('the Go client writes and reads files of 0 bytes to several blocks byte-exact through Swift gateways; one object per block', async () => {
  let blocks = 0;
  for (const size of [0, 1, 513, BLOCK, 3 * BLOCK + 12_345]) {
    const local = join(f.work, `in-${size}`);
    const back = join(f.work, `out-${size}`);
    writeFileSync(local, payload(size, size));
    const put = await hdfs(f.nn.address, f.nn.superuser, ['put', local, `/f-${size}`]);
    expect(put.stderr).toBe('');
    expect(put.code).toBe(0);
    const get = await hdfs(f.nn.address, f.nn.superuser, ['get', `/f-${size}`, back]);
    expect(get.stderr).toBe('');
    expect(sha(readFileSync(back))).toBe(sha(readFileSync(local)));
    blocks += await blockCount(`/f-${size}`);
  }
  const objects = await f.objects();
  expect(objects.length).toBe(blocks);
  expect(objects.every((o) => /^blk_\d+_\d+$/.test(o))).toBe(true);
  // The namenode stored each block once, and no datanode kept a local copy.
  const stat = await f.swift.swiftCli(['stat', 'blocks']);
  expect(stat).toMatch(new RegExp(`Objects: ${blocks}\\b`));
});

test('kill -9 of a gateway mid-read: the read finishes through the other', async () => {
  const size = 12 * BLOCK + 777;
  const data = payload(size, 99);
  const local = join(f.work, 'big');
  writeFileSync(local, data);
  expect((await hdfs(f.nn.address, f.nn.superuser, ['put', local, '/big'])).code).toBe(0);

  // Every block is offered through both gateways, the one that wrote it first. Placement picks
  // the writer at random, so the victim is the gateway offered first for the second block: the
  // reader, past the first MiB, still has to go to it and fail over.
  const ns = f.nn.namenode.namesystem;
  const located = await ns.getBlockLocations(makeCaller(f.nn.superuser, [], ns.config), '/big', 0, size);
  expect(located.blocks.every((b) => b.locations.length === 2)).toBe(true);
  const victim = f.gateways.find((g) => g.uuid === located.blocks[1]?.locations[0]?.datanode.uuid);
  if (!victim) throw new Error('the second block is not offered first through a gateway');

  // A reader that stops taking bytes after the first MiB, so the kill lands mid-read.
  const cat = startProcess(GO_HDFS, ['cat', '/big'], { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HADOOP_NAMENODE: f.nn.address, HADOOP_USER_NAME: f.nn.superuser } }).child;
  const stderr: Buffer[] = [];
  cat.stderr?.on('data', (d: Buffer) => stderr.push(d));
  const chunks: Buffer[] = [];
  let got = 0;
  let held = false;
  await new Promise<void>((resolve, reject) => {
    cat.once('close', (c) => reject(new Error(`cat ended early (${String(c)}) after ${got} bytes: ${Buffer.concat(stderr).toString()}`)));
    cat.stdout?.on('data', (d: Buffer) => {
      chunks.push(d);
      got += d.length;
      if (got >= BLOCK && !held) {
        held = true;
        cat.stdout?.pause();
        resolve();
      }
    });
  });
  await f.datanodes.kill(victim);
  const exited = new Promise<number | null>((r) => cat.once('close', (code) => r(code)));
  cat.stdout?.resume();
  const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('hung'), 40_000))]);
  if (code !== 0) {
    cat.kill('SIGKILL');
    throw new Error(`cat ${String(code)} after ${Buffer.concat(chunks).length} bytes: ${Buffer.concat(stderr).toString()}\nsurvivor: ${f.gateways.find((g) => g !== victim)?.run.stderr()}\nvictim: ${victim.run.stderr()}`);
  }
  const read = Buffer.concat(chunks);
  expect(read.length).toBe(size);
  expect(sha(read)).toBe(sha(data));
  expect(Buffer.concat(stderr).toString()).toBe('');
}, 120_000);
