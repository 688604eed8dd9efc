import Long from 'long';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startDatanode, type RunningDatanode } from '../../datanode/datanode';
import { hadoop } from '../../protocol/generated/hadoop';
import { OpenWrite, readBlock, transferBlock, writeBlock } from '../datanode/dtp-test-client';
import { payload } from '../harness/payload';

/**
 * Issue 9: a single DataTransferProtocol message must not erase or corrupt a
 * replica. Each attack goes over a real socket to a real datanode; after it
 * the block reads back byte-exact, its files are untouched, and a
 * well-behaved client still writes and reads.
 */
const { Status } = hadoop.hdfs;
const Stage = hadoop.hdfs.OpWriteBlockProto.BlockConstructionStage;
const HUGE = Long.fromString('4611686018427387904'); // 2^62: beyond any stamp a namenode hands out
const logger = pino({ level: 'silent' });

let root: string;
let dn: RunningDatanode;
let other: RunningDatanode;
let nextBlockId = 1_073_800_000;

/** Every file of the store with its digest: what "nothing on disk changed" means. */
function diskSnapshot(name: string): Record<string, string> {
  const dir = join(root, name, 'current');
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[path.slice(dir.length)] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return files;
}

async function finalizedBlock(size: number, generationStamp = 1001): Promise<{ blockId: number; data: Buffer }> {
  const blockId = nextBlockId++;
  const data = payload(size, blockId);
  const { response } = await writeBlock(dn.xferPort, { blockId, generationStamp, data });
  expect(response.status).toBe(Status.SUCCESS);
  return { blockId, data };
}

async function expectIntact(blockId: number, data: Buffer): Promise<void> {
  const read = await readBlock(dn.xferPort, blockId, 0, data.length);
  expect(read.response.status).toBe(Status.SUCCESS);
  expect(read.data.equals(data)).toBe(true);
}

async function expectGoodClientWorks(): Promise<void> {
  const blockId = nextBlockId++;
  const data = payload(70_000, blockId);
  expect((await writeBlock(dn.xferPort, { blockId, data })).response.status).toBe(Status.SUCCESS);
  await expectIntact(blockId, data);
}

async function attempt(o: Parameters<typeof OpenWrite.open>[1]): Promise<hadoop.hdfs.BlockOpResponseProto> {
  const w = await OpenWrite.open(dn.xferPort, o);
  w.close();
  return w.response;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'nnfleet-sec-dn-'));
  // No namenode hands this datanode keys, so block tokens are off: the replica rules are checked on their own (tokens are a separate barrier: test/security/block-tokens.test.ts).
  dn = await startDatanode({ dataDir: join(root, 'dn'), namenodes: [], host: '127.0.0.1', xferPort: 0, logger, socketTimeoutMs: 10_000, blockAccessTokens: false });
  other = await startDatanode({ dataDir: join(root, 'other'), namenodes: [], host: '127.0.0.1', xferPort: 0, logger, socketTimeoutMs: 10_000, blockAccessTokens: false });
});
afterAll(async () => {
  await dn.stop();
  await other.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('a finalized replica cannot be cut or replaced over DataTransferProtocol', () => {
  it('refuses STREAMING_RECOVERY with a huge stamp and maxBytesRcvd 0 (the erase-the-cluster loop)', async () => {
    const { blockId, data } = await finalizedBlock(300_000);
    const before = diskSnapshot('dn');
    for (const latestGenerationStamp of [HUGE, Number.MAX_SAFE_INTEGER, 1002]) {
      const response = await attempt({ blockId, generationStamp: 0, stage: Stage.PIPELINE_SETUP_STREAMING_RECOVERY, latestGenerationStamp, minBytesRcvd: 0, maxBytesRcvd: 0 });
      expect(response.status).not.toBe(Status.SUCCESS);
    }
    expect(diskSnapshot('dn')).toEqual(before);
    await expectIntact(blockId, data);
    await expectGoodClientWorks();
  });

  it('refuses APPEND_RECOVERY and CLOSE_RECOVERY that would cut it or name another stamp', async () => {
    const { blockId, data } = await finalizedBlock(5000, 1001);
    const before = diskSnapshot('dn');
    for (const stage of [Stage.PIPELINE_SETUP_APPEND_RECOVERY, Stage.PIPELINE_CLOSE_RECOVERY]) {
      // Below its visible length, with the right old stamp.
      expect((await attempt({ blockId, generationStamp: 1001, stage, latestGenerationStamp: 1002, minBytesRcvd: 0, maxBytesRcvd: 0 })).status).not.toBe(Status.SUCCESS);
      // The right length, but not the stamp it holds.
      expect((await attempt({ blockId, generationStamp: 0, stage, latestGenerationStamp: 1002, minBytesRcvd: 5000, maxBytesRcvd: 5000 })).status).not.toBe(Status.SUCCESS);
      // A stamp that does not move forward.
      expect((await attempt({ blockId, generationStamp: 1001, stage, latestGenerationStamp: 1001, minBytesRcvd: 5000, maxBytesRcvd: 5000 })).status).not.toBe(Status.SUCCESS);
    }
    expect(diskSnapshot('dn')).toEqual(before);
    await expectIntact(blockId, data);
  });

  it('refuses to create it again: client CREATE, replication CREATE and TRANSFER_FINALIZED, whatever the stamp', async () => {
    const { blockId, data } = await finalizedBlock(1500);
    const before = diskSnapshot('dn');
    expect((await attempt({ blockId, generationStamp: 1001, stage: Stage.PIPELINE_SETUP_CREATE })).status).toBe(Status.ERROR_EXISTS);
    expect((await attempt({ blockId, generationStamp: 99_999, stage: Stage.PIPELINE_SETUP_CREATE })).status).toBe(Status.ERROR_EXISTS);
    // Replication and transfers get no op response; the data they push must not land.
    for (const [stage, clientName] of [[Stage.PIPELINE_SETUP_CREATE, ''], [Stage.TRANSFER_FINALIZED, 'evil'], [Stage.TRANSFER_RBW, 'evil']] as const) {
      const w = await OpenWrite.open(dn.xferPort, { blockId, generationStamp: 99_999, stage, clientName });
      await w.packet(0, Buffer.alloc(512, 0xee)).catch(() => undefined);
      w.close();
    }
    expect(diskSnapshot('dn')).toEqual(before);
    await expectIntact(blockId, data);
  });

  it('refuses an APPEND whose stamp goes backwards', async () => {
    const { blockId, data } = await finalizedBlock(2000, 2000);
    const before = diskSnapshot('dn');
    expect((await attempt({ blockId, generationStamp: 2000, stage: Stage.PIPELINE_SETUP_APPEND, latestGenerationStamp: 1999, minBytesRcvd: 2000, maxBytesRcvd: 2000 })).status).not.toBe(Status.SUCCESS);
    expect((await attempt({ blockId, generationStamp: 1999, stage: Stage.PIPELINE_SETUP_APPEND, latestGenerationStamp: 2001, minBytesRcvd: 2000, maxBytesRcvd: 2000 })).status).not.toBe(Status.SUCCESS);
    expect(diskSnapshot('dn')).toEqual(before);
    await expectIntact(blockId, data);
  });
});

describe('a replica being written cannot be taken from its writer', () => {
  it('refuses CREATE, a backwards or stale-length STREAMING_RECOVERY; the writer finishes byte-exact', async () => {
    const blockId = nextBlockId++;
    const data = payload(4096, 7);
    const writer = await OpenWrite.open(dn.xferPort, { blockId, generationStamp: 3000, stage: Stage.PIPELINE_SETUP_CREATE });
    expect(writer.response.status).toBe(Status.SUCCESS);
    expect((await writer.packet(0, data.subarray(0, 2048))).reply).toEqual([Status.SUCCESS]);

    expect((await attempt({ blockId, generationStamp: 3000, stage: Stage.PIPELINE_SETUP_CREATE })).status).toBe(Status.ERROR_EXISTS);
    const replicate = await OpenWrite.open(dn.xferPort, { blockId, generationStamp: 3001, stage: Stage.PIPELINE_SETUP_CREATE, clientName: '' });
    replicate.close();
    // Backwards, standing still, and a length that would cut the written bytes.
    for (const [latest, min, max] of [[2999, 0, 2048], [3000, 0, 2048], [HUGE, 0, 0], [HUGE, 4096, 8192]] as const) {
      expect((await attempt({ blockId, generationStamp: 3000, stage: Stage.PIPELINE_SETUP_STREAMING_RECOVERY, latestGenerationStamp: latest, minBytesRcvd: min, maxBytesRcvd: max })).status).not.toBe(Status.SUCCESS);
    }
    // A streaming recovery is for RBW replicas; a finalized stage never applies to one.
    expect((await attempt({ blockId, generationStamp: 3000, stage: Stage.PIPELINE_SETUP_APPEND, latestGenerationStamp: 3001, minBytesRcvd: 2048 })).status).not.toBe(Status.SUCCESS);

    expect((await writer.packet(2048, data.subarray(2048))).reply).toEqual([Status.SUCCESS]);
    expect((await writer.packet(4096, Buffer.alloc(0), { last: true })).reply).toEqual([Status.SUCCESS]);
    writer.close();
    await expectIntact(blockId, data);
    await expectGoodClientWorks();
  });
});

describe('TRANSFER_BLOCK only dials the valid targets it is given', () => {
  it('refuses itself and malformed addresses; transfers to a real datanode', async () => {
    const { blockId, data } = await finalizedBlock(3000);
    const id = (ipAddr: string, xferPort: number, hostName = ''): hadoop.hdfs.IDatanodeInfoProto => ({ id: { ipAddr, hostName, datanodeUuid: 'x', xferPort, infoPort: 0, ipcPort: 0 } });
    for (const target of [id('127.0.0.1', dn.xferPort), id('', dn.xferPort, 'localhost'), id('0.0.0.0', dn.xferPort), id('evil host;rm', 1234), id('127.0.0.1', 0), id('127.0.0.1', 70_000)]) {
      const response = await transferBlock(dn.xferPort, blockId, [target]);
      expect(response.status).toBe(Status.ERROR);
    }
    await expectIntact(blockId, data);
    expect((await transferBlock(dn.xferPort, blockId, [other.xferPort])).status).toBe(Status.SUCCESS);
    const copy = await readBlock(other.xferPort, blockId, 0, data.length);
    expect(copy.data.equals(data)).toBe(true);
  });
});
