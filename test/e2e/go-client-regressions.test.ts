import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DtpFileDataClient } from '../../loadgen/data/dtp-file-data-client';
import { patternBytes } from '../../loadgen/data/file-pattern';
import { NamenodeClient, RpcCounter } from '../../loadgen/namenode-client';
import { makeCaller } from '../../namenode/security/caller';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { hdfs, stdoutOf } from '../harness/go-hdfs';
import { goAppend, goWrite } from '../harness/go-programs';
import { md5md5Crc } from '../harness/hdfs-checksums';

/**
 * What a user saw fail with the Go client (issue 10), each against a real
 * fleet: the namenode in this process, three datanode processes' worth of
 * datanodes on loopback, the Go `hdfs` command and Go programs on the Go
 * client library. The DataTransferProtocol side of the checksums is in
 * block-checksum.test.ts beside this file.
 */
jest.setTimeout(120_000);

const BLOCK = 1024 * 1024;
let f: DataFleet;
let work: string;
let client: NamenodeClient;

beforeAll(async () => {
  // HDFS's default minimum (dfs.namenode.fs-limits.min-block-size), so the bound itself is tested.
  f = await dataFleet('goregress', 3, { blockSize: BLOCK, replication: 3, minBlockSize: BLOCK });
  work = mkdtempSync(join(tmpdir(), 'nnfleet-goregress-'));
  client = await NamenodeClient.connect(f.address, f.superuser, 'goregress-java-like', new RpcCounter());
  await stdoutOf(su('mkdir', '-p', '/sum', '/bs', '/flush', '/app'));
});
afterAll(async () => {
  await client?.close();
  await f?.close();
  rmSync(work, { recursive: true, force: true });
});

const su = (...args: string[]) => hdfs(f.address, f.superuser, args);
const goChecksum = async (path: string) => (await stdoutOf(su('checksum', path))).split(/\s+/)[0];
const cat = async (path: string) => {
  const out = join(work, `cat-${path.replace(/\//g, '_')}`);
  await stdoutOf(su('get', path, out));
  return readFileSync(out);
};
const put = async (path: string, data: Buffer) => {
  const local = join(work, `put-${path.replace(/\//g, '_')}`);
  writeFileSync(local, data);
  await stdoutOf(su('put', local, path));
};
const blockLengths = async (path: string) => {
  const located = await f.namenode.namesystem.getBlockLocations(makeCaller(f.superuser, [], f.namenode.namesystem.config), path, 0, Number.MAX_SAFE_INTEGER);
  return located.blocks.map((b) => b.block.numBytes);
};

describe('hdfs checksum is HDFS’s MD5-of-MD5-of-CRC file checksum', () => {
  // Hadoop's Java client writes CRC32C chunks; DtpFileDataClient writes as it does (create, addBlock, pipelines, complete).
  const javaLike = new DtpFileDataClient({ blockSize: BLOCK, replication: 3 });

  test.each([
    ['empty', 0],
    ['one partial block', 1000],
    ['exactly three blocks', 3 * BLOCK],
    ['several blocks, the last partial', 2 * BLOCK + 12_345],
  ])('%s (%d bytes) written with CRC32C: MD5MD5CRC32C', async (_what, size) => {
    const path = `/sum/c-${size}`;
    await javaLike.writeFile(client, path, size);
    expect(await goChecksum(path)).toBe(md5md5Crc('CRC32C', patternBytes(0, size), BLOCK));
  });

  test('the empty file’s checksum is HDFS’s fixed one: the MD5 of 32 zero bytes', async () => {
    await javaLike.writeFile(client, '/sum/empty', 0);
    expect(await goChecksum('/sum/empty')).toBe('70bc8f4b72a86921468bf8e8441dce51');
  });

  // The Go client writes CRC32 chunks; a datanode keeps the writer's checksum type (HDFS's
  // LocalReplicaInPipeline.createStreams), so HDFS answers MD5MD5CRC32 for such a file.
  test.each([1, 511, BLOCK, 2 * BLOCK + 777])('a file of %d bytes written by the Go client: MD5MD5CRC32 of its chunks', async (size) => {
    const data = randomBytes(size);
    await put(`/sum/go-${size}`, data);
    expect(await goChecksum(`/sum/go-${size}`)).toBe(md5md5Crc('CRC32', data, BLOCK));
  });
});

describe('block sizes that are not a multiple of 512', () => {
  test('create with 1,050,000 is accepted; blocks end mid-chunk and read back byte-exact', async () => {
    const size = 3 * 1_050_000 + 4321;
    const data = randomBytes(size);
    const r = await goWrite(f.address, f.superuser, '/bs/odd', data, { blockSize: 1_050_000, replication: 3 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await blockLengths('/bs/odd')).toEqual([1_050_000, 1_050_000, 1_050_000, 4321]);
    expect((await cat('/bs/odd')).equals(data)).toBe(true);
    expect(await goChecksum('/bs/odd')).toBe(md5md5Crc('CRC32', data, 1_050_000));
    const status = await stdoutOf(su('ls', '-l', '/bs/odd'));
    expect(status).toContain(` ${size} `);
  });

  test('below dfs.namenode.fs-limits.min-block-size is refused with HDFS’s IOException, and nothing is created', async () => {
    const r = await goWrite(f.address, f.superuser, '/bs/small', randomBytes(10), { blockSize: BLOCK - 1 });
    expect(r.code).not.toBe(0);
    // The Go client prints only the class; the message is HDFS's (FSNamesystem.startFileInt).
    expect(r.stderr).toContain('(java.io.IOException)');
    await expect(client.create('/bs/small', { blockSize: BLOCK - 1 })).rejects.toThrow(
      `Specified block size is less than configured minimum value (dfs.namenode.fs-limits.min-block-size): ${BLOCK - 1} < ${BLOCK}`,
    );
    expect((await su('ls', '/bs/small')).code).not.toBe(0);
  });
});

describe('flushes', () => {
  test('a hundred small writes, each flushed, then more writes across blocks: byte-exact on every replica', async () => {
    const data = randomBytes(100 * 37 + 2 * BLOCK + 5000);
    const r = await goWrite(f.address, f.superuser, '/flush/f', data, { blockSize: BLOCK, replication: 3, flushes: 100, piece: 37 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await cat('/flush/f')).equals(data)).toBe(true);
    // Every replica holds the same chunk checksums: the file checksum is the same whichever datanode answers.
    expect(await goChecksum('/flush/f')).toBe(md5md5Crc('CRC32', data, BLOCK));
  });
});

describe('append to a file whose last block is exactly full', () => {
  test('the append starts a new block (addBlock with no previous block) and the file reads back byte-exact', async () => {
    const first = randomBytes(2 * BLOCK);
    await put('/app/full', first);
    const second = randomBytes(5000);
    const r = await goAppend(f.address, f.superuser, '/app/full', second);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await blockLengths('/app/full')).toEqual([BLOCK, BLOCK, 5000]);
    // Then an append to the now partial last block continues it.
    const third = randomBytes(3000);
    expect((await goAppend(f.address, f.superuser, '/app/full', third)).code).toBe(0);
    const all = Buffer.concat([first, second, third]);
    expect((await cat('/app/full')).equals(all)).toBe(true);
    expect(await blockLengths('/app/full')).toEqual([BLOCK, BLOCK, 8000]);
  });

  test('an append that writes nothing leaves the full file as it was', async () => {
    const data = randomBytes(BLOCK);
    await put('/app/full-empty-append', data);
    const r = await goAppend(f.address, f.superuser, '/app/full-empty-append', Buffer.alloc(0));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await blockLengths('/app/full-empty-append')).toEqual([BLOCK]);
    expect((await cat('/app/full-empty-append')).equals(data)).toBe(true);
  });
});
