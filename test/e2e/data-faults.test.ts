import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCaller } from '../../namenode/security/caller';
import { readBlock } from '../datanode/dtp-test-client';
import { blockTokenFor } from '../harness/block-token-for';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { hdfs, stdoutOf } from '../harness/go-hdfs';
import { eventually, findBlockFile } from '../harness/replica-files';

let f: DataFleet;
let work: string;
const BLOCK = 1024 * 1024;
beforeAll(async () => {
  f = await dataFleet('faults', 3, {
    blockSize: BLOCK,
    replication: 2,
    heartbeatExpiryMs: 3000,
    housekeepingIntervalMs: 300,
    leaseHardLimitMs: 1500,
  });
  work = mkdtempSync(join(tmpdir(), 'nnfleet-faults-'));
});
afterAll(async () => {
  await f.close();
  rmSync(work, { recursive: true, force: true });
});

const su = (...args: string[]) => hdfs(f.address, f.superuser, args);
const ok = stdoutOf;
const ns = () => f.namenode.namesystem;
const root = () => makeCaller(f.superuser, [], ns().config);
const put = async (path: string, data: Buffer) => {
  const local = join(work, path.replace(/\//g, '_'));
  writeFileSync(local, data);
  await ok(su('put', local, path));
};
const readBack = async (path: string) => {
  const out = join(work, `out${path.replace(/\//g, '_')}-${Date.now()}`);
  await ok(su('get', path, out));
  return readFileSync(out);
};
const locations = async (path: string) => (await ns().getBlockLocations(root(), path, 0, 1 << 30)).blocks;
const dirOf = (uuid: string) => f.dirs[f.datanodes.findIndex((d) => d.uuid === uuid)] as string;

test('truncate on a block boundary is immediate; inside a block it recovers the block and closes the file', async () => {
  const data = randomBytes(2 * BLOCK + 5000);
  await put('/trunc-a', data);
  await ok(su('truncate', String(BLOCK), '/trunc-a'));
  expect((await readBack('/trunc-a')).equals(data.subarray(0, BLOCK))).toBe(true);

  await put('/trunc-b', data);
  await ok(su('truncate', '1000', '/trunc-b'));
  await eventually('the truncated file to close', async () => ((await ns().getFileInfo(root(), '/trunc-b'))?.underConstruction === false ? true : undefined));
  expect((await ns().getFileInfo(root(), '/trunc-b'))?.length).toBe(1000);
  expect((await readBack('/trunc-b')).equals(data.subarray(0, 1000))).toBe(true);
});

test('a corrupt replica is found on read, reported, not handed out again, and replaced', async () => {
  const data = randomBytes(200_000);
  await put('/corrupt', data);
  const [block] = await locations('/corrupt');
  expect(block?.locations).toHaveLength(2);
  const victim = block!.locations[0]!.datanode;
  const file = findBlockFile(dirOf(victim.uuid), block!.block.blockId) as string;
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.from('garbage!'), 0, 8, 70_000);
  closeSync(fd);
  // A reader on the rotten copy: the datanode checks before sending and cuts the stream.
  const access = await blockTokenFor(f.namenode, block!.block.blockId);
  await expect(readBlock(victim.xferPort, block!.block.blockId, 0, data.length, access)).rejects.toThrow();
  // The Go client reads the good copy, whatever order it tries.
  for (let i = 0; i < 3; i++) expect((await readBack('/corrupt')).equals(data)).toBe(true);
  // The namenode stops handing out the corrupt copy, re-replicates, then deletes it.
  const healed = await eventually('two good replicas without the corrupt one', async () => {
    const [b] = await locations('/corrupt');
    const uuids = (b?.locations ?? []).map((l) => l.datanode.uuid);
    return uuids.length === 2 && !uuids.includes(victim.uuid) ? uuids : undefined;
  });
  expect(healed).toHaveLength(2);
  await eventually('the corrupt copy deleted', async () => (existsSync(file) ? undefined : true));
  expect((await readBack('/corrupt')).equals(data)).toBe(true);
});

test('a writer that dies without closing: after the lease hard limit the file is recovered, readable up to its complete data', async () => {
  const data = randomBytes(300_000);
  await ok(su('mkdir', '-p', '/lease'));
  // A real client writing from stdin, killed before it closes the file.
  const { GO_HDFS } = await import('../harness/go-hdfs');
  const { startProcess } = await import('../harness/process-fixture');
  const { child } = startProcess(GO_HDFS, ['put', '-', '/lease/orphan'], { env: { ...process.env, HADOOP_NAMENODE: f.address, HADOOP_USER_NAME: f.superuser }, stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin?.write(data);
  await eventually('the writer to get a block', async () => ((await locations('/lease/orphan').catch(() => [])).length > 0 ? true : undefined));
  await new Promise((r) => setTimeout(r, 500));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const closed = await eventually('lease recovery to close the file', async () => {
    const st = await ns().getFileInfo(root(), '/lease/orphan');
    return st && !st.underConstruction ? st : undefined;
  }, 30_000);
  const back = await readBack('/lease/orphan');
  expect(back.length).toBe(closed.length);
  expect(back.equals(data.subarray(0, back.length))).toBe(true);
});

test('a dead datanode: its blocks are re-replicated to reach the file replication', async () => {
  const data = randomBytes(150_000);
  await put('/rerep', data);
  const [block] = await locations('/rerep');
  const holders = block!.locations.map((l) => l.datanode.uuid);
  const doomed = f.datanodes.find((d) => d.uuid === holders[0])!;
  await doomed.stop();
  const after = await eventually('re-replication onto a live datanode', async () => {
    const [b] = await locations('/rerep');
    const uuids = (b?.locations ?? []).map((l) => l.datanode.uuid);
    return uuids.length === 2 && !uuids.includes(doomed.uuid) ? uuids : undefined;
  }, 30_000);
  expect(after).toHaveLength(2);
  expect((await readBack('/rerep')).equals(data)).toBe(true);
});
