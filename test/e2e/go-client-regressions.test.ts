import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DtpFileDataClient } from '../../loadgen/data/dtp-file-data-client';
import { patternBytes } from '../../loadgen/data/file-pattern';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import { makeCaller } from '../../namenode/security/caller';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { hdfs, stdoutOf } from '../harness/go-hdfs';
import { ensureGoAppend, ensureGoProgram, goAppend, goWrite, GO_WRITE } from '../harness/go-programs';
import { md5md5Crc } from '../harness/hdfs-checksums';
import { SyncedBlockWrite } from '../harness/synced-block-write';
import { completeWithBackoff } from '../../protocol/client/locate-following-block';
import { hadoop } from '../../protocol/generated/hadoop';

const { Status } = hadoop.hdfs;

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
  // Built (once per checkout, minutes on a busy machine) before the fleet: the build blocks this process, which hosts the namenode.
  ensureGoAppend();
  ensureGoProgram('write', GO_WRITE);
  // HDFS's default minimum (dfs.namenode.fs-limits.min-block-size), so the bound itself is tested.
  f = await dataFleet('goregress', 3, { blockSize: BLOCK, replication: 3, minBlockSize: BLOCK });
  work = mkdtempSync(join(tmpdir(), 'nnfleet-goregress-'));
  client = await NamenodeClient.connect(f.address, f.superuser, 'goregress-java-like', new RpcCounter());
  await stdoutOf(su('mkdir', '-p', '/sum', '/bs', '/flush', '/app'));
}, 600_000);
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
  test('a hundred small writes, each flushed, then more writes across blocks: byte-exact, and HDFS’s checksum', async () => {
    const data = randomBytes(100 * 37 + 2 * BLOCK + 5000);
    const r = await goWrite(f.address, f.superuser, '/flush/f', data, { blockSize: BLOCK, replication: 3, flushes: 100, piece: 37 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await cat('/flush/f')).equals(data)).toBe(true);
    expect(await goChecksum('/flush/f')).toBe(md5md5Crc('CRC32', data, BLOCK));
  });

  test('the Java client’s hflush through a pipeline of three: each flush resends its partial chunk, then more packets; byte-exact', async () => {
    const writer = await NamenodeClient.connect(f.address, f.superuser, 'DFSClient_hflush', new RpcCounter());
    try {
      await writer.create('/flush/java', { replication: 3, blockSize: BLOCK });
      const located = await writer.addBlock('/flush/java', undefined);
      expect(located.locs).toHaveLength(3);
      const w = await SyncedBlockWrite.open(located, writer.clientName);
      expect(w.response.status).toBe(Status.SUCCESS);
      const data = randomBytes(100 * 37 + 300_000);
      // hflush: the packet ends mid-chunk and is acknowledged by all three before the next one, which starts again at that chunk's boundary.
      for (let end = 37; end <= 100 * 37; end += 37) {
        const start = end - 37 - ((end - 37) % 512);
        expect((await w.packet(start, data.subarray(start, end))).reply).toEqual([Status.SUCCESS, Status.SUCCESS, Status.SUCCESS]);
      }
      for (let start = 100 * 37 - ((100 * 37) % 512); start < data.length; start += 64 * 1024) {
        expect((await w.packet(start, data.subarray(start, Math.min(start + 64 * 1024, data.length)))).reply).toEqual([Status.SUCCESS, Status.SUCCESS, Status.SUCCESS]);
      }
      expect((await w.packet(data.length, Buffer.alloc(0), { last: true })).reply).toEqual([Status.SUCCESS, Status.SUCCESS, Status.SUCCESS]);
      w.close();
      await completeWithBackoff(writer, '/flush/java', { ...located.b, numBytes: data.length });
      expect((await cat('/flush/java')).equals(data)).toBe(true);
      expect(await goChecksum('/flush/java')).toBe(md5md5Crc('CRC32C', data, BLOCK));
    } finally {
      await writer.close();
    }
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

  test('addBlock naming no previous block is still refused when the last block is not full, and changes nothing', async () => {
    const data = randomBytes(BLOCK + 1000);
    await put('/app/partial', data);
    const writer = await NamenodeClient.connect(f.address, f.superuser, 'DFSClient_partial', new RpcCounter());
    try {
      const opened = await writer.ipc.call('append', hadoop.hdfs.AppendRequestProto, { src: '/app/partial', clientName: writer.clientName }, hadoop.hdfs.AppendResponseProto);
      expect(String(opened.block?.b.numBytes)).toBe('1000');
      await expect(writer.addBlock('/app/partial', undefined)).rejects.toThrow(/previous block is missing/);
      expect(await blockLengths('/app/partial')).toEqual([BLOCK, 1000]);
      expect(await writer.complete('/app/partial', opened.block!.b)).toBe(true);
      expect((await cat('/app/partial')).equals(data)).toBe(true);
    } finally {
      await writer.close();
    }
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
