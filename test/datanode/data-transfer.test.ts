import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { hadoop } from '../../protocol/generated/hadoop';
import { startDatanode, type RunningDatanode } from '../../datanode/datanode';
import { LocalBlockStore } from '../../datanode/store/local-block-store';
import { ChecksumType, computeChunkChecksums } from '../../protocol/datatransfer/checksum';
import { blockChecksum, OpenWrite, readBlock, transferBlock, writeBlock } from './dtp-test-client';
import { until } from '../harness/eventually';
import { payload } from '../harness/payload';
import { findBlockFile } from '../harness/replica-files';

const { Status } = hadoop.hdfs;
const Stage = hadoop.hdfs.OpWriteBlockProto.BlockConstructionStage;
const logger = pino({ level: 'silent' });
let root: string;
const running: RunningDatanode[] = [];
let nextBlockId = 1_073_741_825;

async function datanode(name: string): Promise<RunningDatanode> {
  const dn = await startDatanode({ dataDir: join(root, name), namenodes: [], host: '127.0.0.1', xferPort: 0, logger, socketTimeoutMs: 10_000, blockAccessTokens: false });
  running.push(dn);
  return dn;
}

async function storedReplica(name: string, blockId: number): Promise<Buffer> {
  const store = await LocalBlockStore.open(join(root, name));
  const held = store.get(blockId);
  if (!held) throw new Error(`no replica of block ${blockId} in ${name}`);
  const reader = await store.openReader(held);
  try {
    expect(reader.info.state).toBe('finalized');
    return await reader.readData(0, reader.info.numBytes);
  } finally {
    await reader.close();
  }
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'nnfleet-dtp-'));
});
afterAll(async () => {
  await Promise.all(running.map((dn) => dn.stop()));
  rmSync(root, { recursive: true, force: true });
});

describe('DataTransferProtocol server', () => {
  let dn: RunningDatanode;
  beforeAll(async () => {
    dn = await datanode('single');
  });

  it.each([0, 1, 511, 512, 513, 1024 * 1024])('writes and reads back a block of %i bytes', async (size) => {
    const blockId = nextBlockId++;
    const data = payload(size, size + 1);
    const { response, acks } = await writeBlock(dn.xferPort, { blockId, data });
    expect(response.status).toBe(Status.SUCCESS);
    expect(acks.length).toBe(Math.ceil(size / 65536) + 1);
    expect(acks.every((a) => a.reply.length === 1 && a.reply[0] === Status.SUCCESS)).toBe(true);
    expect(acks.map((a) => Number(a.seqno))).toEqual(acks.map((_, i) => i + 1));
    const read = await readBlock(dn.xferPort, blockId, 0, size);
    expect(read.response.status).toBe(Status.SUCCESS);
    expect(read.data.equals(data)).toBe(true);
  });

  it('reads any range, starting the stream at the chunk boundary', async () => {
    const blockId = nextBlockId++;
    const data = payload(300_000, 42);
    await writeBlock(dn.xferPort, { blockId, data });
    for (const [offset, length] of [[1, 1], [511, 2], [512, 512], [1000, 70_000], [65_535, 3], [299_999, 1], [123_457, 176_543]] as const) {
      const read = await readBlock(dn.xferPort, blockId, offset, length);
      expect(Number(read.response.readOpChecksumInfo!.chunkOffset)).toBe(Math.floor(offset / 512) * 512);
      expect(read.data.equals(data.subarray(offset, offset + length))).toBe(true);
    }
  });

  it('stores CRC32 (IEEE) blocks as the Go client writes them, and serves them with that type', async () => {
    const blockId = nextBlockId++;
    const data = payload(5000, 3);
    const spec = { type: ChecksumType.CRC32, bytesPerChecksum: 512 } as const;
    expect((await writeBlock(dn.xferPort, { blockId, data, checksum: spec })).response.status).toBe(Status.SUCCESS);
    const read = await readBlock(dn.xferPort, blockId, 100, 4000);
    expect(read.response.readOpChecksumInfo!.checksum.type).toBe(ChecksumType.CRC32);
    expect(read.data.equals(data.subarray(100, 4100))).toBe(true);
  });

  it('answers BLOCK_CHECKSUM with the MD5 of the chunk CRC32Cs', async () => {
    const blockId = nextBlockId++;
    const data = payload(200_000, 9);
    await writeBlock(dn.xferPort, { blockId, data });
    const crcs = computeChunkChecksums({ type: ChecksumType.CRC32C, bytesPerChecksum: 512 }, data);
    const response = await blockChecksum(dn.xferPort, blockId, data.length);
    expect(response.status).toBe(Status.SUCCESS);
    const sum = response.checksumResponse!;
    expect(Buffer.from(sum.blockChecksum).toString('hex')).toBe(createHash('md5').update(crcs).digest('hex'));
    expect(sum.bytesPerCrc).toBe(512);
    expect(Number(sum.crcPerBlock)).toBe(Math.ceil(200_000 / 512));
    expect(sum.crcType).toBe(hadoop.hdfs.ChecksumTypeProto.CHECKSUM_CRC32C);

    const partial = await blockChecksum(dn.xferPort, blockId, 1000);
    const partialCrcs = computeChunkChecksums({ type: ChecksumType.CRC32C, bytesPerChecksum: 512 }, data.subarray(0, 1000));
    expect(Buffer.from(partial.checksumResponse!.blockChecksum).equals(createHash('md5').update(partialCrcs).digest())).toBe(true);
  });

  it('rejects a corrupted checksum with ERROR_CHECKSUM and keeps nothing of the replica', async () => {
    const blockId = nextBlockId++;
    const { response, acks } = await writeBlock(dn.xferPort, { blockId, data: payload(200_000, 5), corruptSeqno: 2 });
    expect(response.status).toBe(Status.SUCCESS);
    expect(acks.map((a) => a.reply[0])).toEqual([Status.SUCCESS, Status.ERROR_CHECKSUM]);
    await until('the corrupted replica to be removed from disk', () => findBlockFile(join(root, 'single'), blockId) === undefined, 10_000);
    const read = await readBlock(dn.xferPort, blockId, 0, 1);
    expect(read.response.status).toBe(Status.ERROR);
  });

  it('appends to a finalized block from an unaligned length, as the Go client does', async () => {
    const blockId = nextBlockId++;
    const head = payload(700, 21);
    const tail = payload(100_000, 22);
    await writeBlock(dn.xferPort, { blockId, generationStamp: 5, data: head });
    const appended = await writeBlock(dn.xferPort, {
      blockId,
      generationStamp: 5,
      data: tail,
      appendAt: 700,
      stage: hadoop.hdfs.OpWriteBlockProto.BlockConstructionStage.PIPELINE_SETUP_APPEND,
    });
    expect(appended.response.status).toBe(Status.SUCCESS);
    expect(appended.acks.every((a) => a.reply[0] === Status.SUCCESS)).toBe(true);
    const all = Buffer.concat([head, tail]);
    expect((await readBlock(dn.xferPort, blockId, 0, all.length)).data.equals(all)).toBe(true);
    const sum = await blockChecksum(dn.xferPort, blockId, all.length);
    const crcs = computeChunkChecksums({ type: ChecksumType.CRC32C, bytesPerChecksum: 512 }, all);
    expect(Buffer.from(sum.checksumResponse!.blockChecksum).equals(createHash('md5').update(crcs).digest())).toBe(true);
  });

  it('refuses to create a block that already exists', async () => {
    const blockId = nextBlockId++;
    await writeBlock(dn.xferPort, { blockId, data: payload(10, 1) });
    expect((await writeBlock(dn.xferPort, { blockId, data: payload(10, 1) })).response.status).toBe(Status.ERROR_EXISTS);
  });

  it('closes a connection that sends garbage, and keeps serving others', async () => {
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: dn.xferPort }, () => socket.write(Buffer.from('GET / HTTP/1.1\r\n\r\n')));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(true));
      setTimeout(() => resolve(false), 5000).unref();
    });
    expect(closed).toBe(true);
    const wrongOp = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: dn.xferPort }, () => socket.write(Buffer.from([0, 28, 99, 1, 0])));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(true));
    });
    expect(wrongOp).toBe(true);
    const truncated = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: dn.xferPort }, () => {
        socket.write(Buffer.from([0, 28, 80, 0xff, 0xff, 0xff, 0xff, 0x0f]));
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(true));
    });
    expect(truncated).toBe(true);
    const blockId = nextBlockId++;
    expect((await writeBlock(dn.xferPort, { blockId, data: payload(100, 2) })).response.status).toBe(Status.SUCCESS);
  });
});

describe('pipelines and transfers', () => {
  let a: RunningDatanode;
  let b: RunningDatanode;
  let c: RunningDatanode;
  beforeAll(async () => {
    [a, b, c] = await Promise.all([datanode('a'), datanode('b'), datanode('c')]);
  });

  it('writes through a 3-datanode pipeline: every node ends with an identical finalized replica', async () => {
    const blockId = nextBlockId++;
    const data = payload(700_001, 77);
    const { response, acks } = await writeBlock(a.xferPort, { blockId, data, targets: [b.xferPort, c.xferPort] });
    expect(response.status).toBe(Status.SUCCESS);
    expect(acks.length).toBe(Math.ceil(data.length / 65536) + 1);
    for (const ack of acks) expect(ack.reply).toEqual([Status.SUCCESS, Status.SUCCESS, Status.SUCCESS]);
    for (const name of ['a', 'b', 'c']) expect((await storedReplica(name, blockId)).equals(data)).toBe(true);
    const sums = await Promise.all([a, b, c].map((dn) => blockChecksum(dn.xferPort, blockId, data.length)));
    expect(new Set(sums.map((s) => Buffer.from(s.checksumResponse!.blockChecksum).toString('hex'))).size).toBe(1);
  });

  it('names the unreachable datanode as firstBadLink', async () => {
    const blockId = nextBlockId++;
    const dead = await datanode('dead');
    const deadPort = dead.xferPort;
    await dead.stop();
    const { response } = await writeBlock(a.xferPort, { blockId, data: payload(10, 1), targets: [b.xferPort, deadPort] });
    expect(response.status).toBe(Status.ERROR);
    expect(response.firstBadLink).toBe(`127.0.0.1:${deadPort}`);
  });

  it('reports a checksum error downstream in the ack of the node that found it', async () => {
    const blockId = nextBlockId++;
    const { acks } = await writeBlock(a.xferPort, { blockId, data: payload(100_000, 8), targets: [b.xferPort], corruptSeqno: 1 });
    expect(acks[0]!.reply[0]).toBe(Status.ERROR_CHECKSUM);
  });

  it('copies a replica to another datanode with TRANSFER_BLOCK', async () => {
    const blockId = nextBlockId++;
    const data = payload(150_000, 11);
    await writeBlock(a.xferPort, { blockId, data });
    const response = await transferBlock(a.xferPort, blockId, [c.xferPort]);
    expect(response.status).toBe(Status.SUCCESS);
    expect((await readBlock(c.xferPort, blockId, 0, data.length)).data.equals(data)).toBe(true);
  });
});

describe('pipeline connections kept for the next block', () => {
  it('carries the next blocks of a pipeline over the connections the first one opened', async () => {
    const [a, b, c] = await Promise.all([datanode('keep-a'), datanode('keep-b'), datanode('keep-c')]);
    const blocks: { blockId: number; data: Buffer }[] = [];
    for (let i = 0; i < 4; i++) {
      const blockId = nextBlockId++;
      const data = payload(5_000 + 70_000 * i, 90 + i);
      const { response, acks } = await writeBlock(a.xferPort, { blockId, data, targets: [b.xferPort, c.xferPort] });
      expect(response.status).toBe(Status.SUCCESS);
      expect(acks.at(-1)!.reply).toEqual([Status.SUCCESS, Status.SUCCESS, Status.SUCCESS]);
      blocks.push({ blockId, data });
    }
    for (const { blockId, data } of blocks) {
      for (const name of ['keep-a', 'keep-b', 'keep-c']) expect((await storedReplica(name, blockId)).equals(data)).toBe(true);
    }
    // The first block opened a→b and b→c; the other three went over them.
    expect(a.dataTransfer().mirrorsReused).toBe(3);
    expect(b.dataTransfer().mirrorsReused).toBe(3);
    expect(a.dataTransfer().idleMirrors).toBe(1);
  });

  it('serves a next op on a write\'s connection, and closes only that connection when the next op is garbage', async () => {
    const dn = await datanode('next-op');
    const blockId = nextBlockId++;
    const data = payload(3000, 12);
    const w = await OpenWrite.open(dn.xferPort, { blockId, generationStamp: 1001, stage: Stage.PIPELINE_SETUP_CREATE });
    expect(w.response.status).toBe(Status.SUCCESS);
    expect((await w.packet(0, data)).reply).toEqual([Status.SUCCESS]);
    expect((await w.packet(data.length, Buffer.alloc(0), { last: true })).reply).toEqual([Status.SUCCESS]);
    // The write is done and the connection still open: a hostile peer sends a bogus op header and a huge varint.
    const closed = new Promise((resolve) => w.socket.once('close', resolve));
    w.socket.write(Buffer.from([0x00, 0x1c, 0x50, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    await closed;
    expect((await storedReplica('next-op', blockId)).equals(data)).toBe(true);
    const other = nextBlockId++;
    expect((await writeBlock(dn.xferPort, { blockId: other, data: payload(100, 13) })).response.status).toBe(Status.SUCCESS);
  });

  it('closes a connection idle between ops after the keepalive, and the next pipeline opens a new one', async () => {
    const a = await datanode('idle-a');
    const b = await startDatanode({
      dataDir: join(root, 'idle-b'), namenodes: [], host: '127.0.0.1', xferPort: 0, logger, socketTimeoutMs: 10_000, blockAccessTokens: false,
      xceiverLimits: { keepaliveMs: 200 },
    });
    running.push(b);
    const first = nextBlockId++;
    expect((await writeBlock(a.xferPort, { blockId: first, data: payload(1000, 5), targets: [b.xferPort] })).response.status).toBe(Status.SUCCESS);
    expect(a.dataTransfer().idleMirrors).toBe(1);
    await until('b closes the idle connection', () => a.dataTransfer().idleMirrors === 0 && b.dataTransfer().connections === 0, 5_000);
    const second = nextBlockId++;
    const data = payload(2000, 6);
    expect((await writeBlock(a.xferPort, { blockId: second, data, targets: [b.xferPort] })).response.status).toBe(Status.SUCCESS);
    expect(a.dataTransfer().mirrorsReused).toBe(0);
    expect((await storedReplica('idle-b', second)).equals(data)).toBe(true);
  });
});
