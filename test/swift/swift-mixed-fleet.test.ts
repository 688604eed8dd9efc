import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderClientConfig, writeConfigFiles } from '../../cli/fleet/client-config';
import { StorageType } from '../../namenode/domain/storage';
import { makeCaller } from '../../namenode/security/caller';
import { hdfs } from '../harness/go-hdfs';
import { fsShell, javaStdout, storagePolicyAdmin, type JavaRunOptions } from '../harness/java-hadoop';
import { payload } from '../harness/payload';
import { eventually } from '../harness/eventually';
import { blockFiles } from '../harness/subtree-fleet';
import { swiftFleet, type SwiftFleet } from '../harness/swift-fleet';

/**
 * One fleet, two kinds of datanode: Swift gateways and datanodes on their
 * own disks. The PROVIDED storage policy on a directory sends its new
 * blocks to Swift; everything else stays on local disks.
 */
const BLOCK = 1024 * 1024;
const LOCAL = ['dn0', 'dn1'];
let f: SwiftFleet;
let as: JavaRunOptions;

beforeAll(async () => {
  f = await swiftFleet('swiftmixed', 2, { config: { blockSize: BLOCK } });
  for (const name of LOCAL) await f.datanodes.start(name);
  const ns = f.nn.namenode.namesystem;
  await eventually('gateways and local datanodes live', async () => ((await ns.getFsStats()).liveDatanodes === 4 ? true : undefined), 30_000);
  const confDir = join(f.work, 'conf');
  writeConfigFiles(confDir, renderClientConfig({ nameservice: 'nnfleet', namenodes: [{ id: 'nn1', rpc: f.nn.address, http: `127.0.0.1:${f.nn.namenode.httpPort}` }] }));
  as = { confDir, user: f.nn.superuser };
}, 180_000);
afterAll(async () => {
  await f?.close();
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const caller = () => makeCaller(f.nn.superuser, [], f.nn.namenode.namesystem.config);
const blocksOf = async (path: string) => (await f.nn.namenode.namesystem.getBlockLocations(caller(), path, 0, Number.MAX_SAFE_INTEGER)).blocks;
/** blk_<id> files on the local-disk datanodes. */
const localBlockFiles = () => new Set(LOCAL.flatMap((name) => blockFiles(join(f.work, name))));

test('PROVIDED set with `hdfs storagepolicies` sends a directory to Swift, the rest stays on local disks; the Go and Java clients read both back byte-exact', async () => {
  await javaStdout(fsShell(['-mkdir', '-p', '/swift/deep', '/local'], as));
  expect(await javaStdout(storagePolicyAdmin(['-setStoragePolicy', '-path', '/swift', '-policy', 'PROVIDED'], as))).toContain('Set storage policy PROVIDED on /swift');
  expect(await javaStdout(storagePolicyAdmin(['-getStoragePolicy', '-path', '/swift/deep'], as))).toContain('BlockStoragePolicy{PROVIDED:1');

  const files = [
    { path: '/swift/deep/go', data: payload(3 * BLOCK + 1234, 1), shared: true },
    { path: '/local/go', data: payload(3 * BLOCK + 4321, 2), shared: false },
    { path: '/swift/java', data: payload(2 * BLOCK + 17, 3), shared: true },
    { path: '/local/java', data: payload(2 * BLOCK + 71, 4), shared: false },
  ];
  for (const file of files) {
    const local = join(f.work, `in-${file.path.replace(/\//g, '_')}`);
    writeFileSync(local, file.data);
    if (file.path.endsWith('go')) {
      const put = await hdfs(f.nn.address, f.nn.superuser, ['put', local, file.path]);
      expect(put.stderr).toBe('');
    } else {
      await javaStdout(fsShell(['-D', `dfs.blocksize=${BLOCK}`, '-put', local, file.path], as));
    }
  }

  const objects = new Set(await f.objects());
  // Reports reach the namenode a moment after the client's close.
  await eventually('local copies reported', async () => {
    for (const file of files.filter((x) => !x.shared)) for (const lb of await blocksOf(file.path)) if (lb.locations.length < LOCAL.length) return undefined;
    return true;
  }, 30_000);
  const onDisk = localBlockFiles();
  let swiftBlocks = 0;
  for (const file of files) {
    const blocks = await blocksOf(file.path);
    expect(blocks.length).toBe(Math.ceil(file.data.length / BLOCK));
    for (const lb of blocks) {
      const name = `blk_${lb.block.blockId}_${lb.block.genStamp}`;
      const kinds = new Set(lb.locations.map((l) => l.storageType));
      if (file.shared) {
        // One object in Swift, no copy on any local disk; readers are offered gateways only.
        expect(objects.has(name)).toBe(true);
        expect(onDisk.has(`blk_${lb.block.blockId}`)).toBe(false);
        expect([...kinds]).toEqual([StorageType.Provided]);
        swiftBlocks++;
      } else {
        // A copy on each local datanode (replication 3, two of them), nothing in Swift.
        expect(objects.has(name)).toBe(false);
        expect(onDisk.has(`blk_${lb.block.blockId}`)).toBe(true);
        expect([...kinds]).toEqual([StorageType.Disk]);
        expect(lb.locations).toHaveLength(LOCAL.length);
      }
    }
  }
  // Nothing else went to Swift.
  expect(objects.size).toBe(swiftBlocks);
  console.log(`${swiftBlocks} blocks in Swift (${[...objects].join(' ')}); ${onDisk.size} block files on the local datanodes`);

  for (const file of files) {
    const back = join(f.work, `out-${file.path.replace(/\//g, '_')}`);
    const get = await hdfs(f.nn.address, f.nn.superuser, ['get', file.path, back]);
    expect(get.stderr).toBe('');
    expect(sha(readFileSync(back))).toBe(sha(file.data));
    const cat = await fsShell(['-cat', file.path], as);
    expect(cat.code).toBe(0);
    expect(sha(cat.stdoutBytes)).toBe(sha(file.data));
  }
}, 240_000);

test('a file moved out of a PROVIDED directory keeps its blocks in Swift and reads back (the policy decides where new blocks go, it moves none)', async () => {
  const data = payload(BLOCK + 5, 7);
  const local = join(f.work, 'moved');
  writeFileSync(local, data);
  expect((await hdfs(f.nn.address, f.nn.superuser, ['put', local, '/swift/moving'])).stderr).toBe('');
  expect((await hdfs(f.nn.address, f.nn.superuser, ['mv', '/swift/moving', '/local/moved'])).stderr).toBe('');
  const before = await blocksOf('/local/moved');
  const objects = new Set(await f.objects());
  for (const lb of before) expect(objects.has(`blk_${lb.block.blockId}_${lb.block.genStamp}`)).toBe(true);
  const back = join(f.work, 'moved-back');
  expect((await hdfs(f.nn.address, f.nn.superuser, ['get', '/local/moved', back])).stderr).toBe('');
  expect(sha(readFileSync(back))).toBe(sha(data));
});
