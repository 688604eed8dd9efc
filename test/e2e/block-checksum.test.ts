import Long from 'long';
import { DtpFileDataClient } from '../../loadgen/data/dtp-file-data-client';
import { patternBytes } from '../../loadgen/data/file-pattern';
import { NamenodeClient, RpcCounter } from '../../protocol/client/namenode-client';
import type { LocatedBlock } from '../../namenode/domain/located-blocks';
import { makeCaller } from '../../namenode/security/caller';
import { ChecksumType } from '../../protocol/datatransfer/checksum';
import { CrcComposer } from '../../protocol/datatransfer/crc-composer';
import { hadoop } from '../../protocol/generated/hadoop';
import { blockChecksum, type BlockChecksumAccess } from '../datanode/dtp-test-client';
import { blockTokenFor } from '../harness/block-token-for';
import { dataFleet, type DataFleet } from '../harness/data-fleet';
import { blockMd5, compositeCrc } from '../harness/hdfs-checksums';

/**
 * BLOCK_CHECKSUM (DataTransferProtocol op 85) as a Hadoop client sends it,
 * against every replica of a file the Java client's way (CRC32C, 512-byte
 * chunks) on a real fleet with block tokens: MD5CRC and COMPOSITE_CRC, each
 * checked against values computed here from the bytes alone.
 */
jest.setTimeout(120_000);

const { Status } = hadoop.hdfs;
const { MD5CRC, COMPOSITE_CRC } = hadoop.hdfs.BlockChecksumTypeProto;
const BLOCK = 1024 * 1024;
const SIZE = 2 * BLOCK + 12_345;
const DATA = patternBytes(0, SIZE);
let f: DataFleet;
let client: NamenodeClient;
let blocks: readonly LocatedBlock[];

beforeAll(async () => {
  f = await dataFleet('blocksum', 3, { blockSize: BLOCK, replication: 3 });
  client = await NamenodeClient.connect(f.address, f.superuser, 'blocksum-client', new RpcCounter());
  await new DtpFileDataClient({ blockSize: BLOCK, replication: 3 }).writeFile(client, '/f', SIZE);
  const caller = makeCaller(f.superuser, [], f.namenode.namesystem.config);
  // complete needed one reported copy of each block; the other two follow in the datanodes' reports.
  const { eventually } = await import('../harness/replica-files');
  blocks = await eventually('3 reported copies of every block', async () => {
    const l = await f.namenode.namesystem.getBlockLocations(caller, '/f', 0, SIZE);
    return l.blocks.every((b) => b.locations.length === 3) ? l.blocks : undefined;
  });
});
afterAll(async () => {
  await client?.close();
  await f?.close();
});

const bytesOf = (b: LocatedBlock) => DATA.subarray(b.offset, b.offset + b.block.numBytes);

/** BLOCK_CHECKSUM of `b` on each of its datanodes, with a READ token for it. */
async function everyReplica(b: LocatedBlock, numBytes: number | Long, extra: Partial<BlockChecksumAccess> = {}): Promise<hadoop.hdfs.BlockOpResponseProto[]> {
  const access = await blockTokenFor(f.namenode, b.block.blockId);
  return Promise.all(b.locations.map((l) => blockChecksum(l.datanode.xferPort, b.block.blockId, numBytes, { ...access, generationStamp: b.block.genStamp, ...extra })));
}

test('MD5CRC: the MD5 of the block’s chunk CRC32Cs, with HDFS’s bytesPerCrc, crcPerBlock and crcType', async () => {
  for (const b of blocks) {
    for (const r of await everyReplica(b, b.block.numBytes)) {
      expect(r.status).toBe(Status.SUCCESS);
      const sum = r.checksumResponse!;
      expect(Buffer.from(sum.blockChecksum).equals(blockMd5('CRC32C', bytesOf(b)))).toBe(true);
      expect(sum.bytesPerCrc).toBe(512);
      expect(Number(sum.crcPerBlock)).toBe(Math.ceil(b.block.numBytes / 512));
      expect(sum.crcType).toBe(hadoop.hdfs.ChecksumTypeProto.CHECKSUM_CRC32C);
      expect(sum.blockChecksumOptions?.blockChecksumType).toBe(MD5CRC);
    }
  }
});

test('MD5CRC of a shorter length covers its chunks, the last one over the partial bytes; crcPerBlock stays the replica’s', async () => {
  const b = blocks[0]!;
  for (const length of [0, 1000, 4096, 700_001]) {
    for (const r of await everyReplica(b, length)) {
      expect(Buffer.from(r.checksumResponse!.blockChecksum).equals(blockMd5('CRC32C', bytesOf(b).subarray(0, length)))).toBe(true);
      expect(Number(r.checksumResponse!.crcPerBlock)).toBe(BLOCK / 512);
    }
  }
});

test('COMPOSITE_CRC: one CRC32C of the whole block’s bytes, for full and partial last blocks', async () => {
  for (const b of blocks) {
    for (const r of await everyReplica(b, b.block.numBytes, { options: { blockChecksumType: COMPOSITE_CRC } })) {
      expect(r.status).toBe(Status.SUCCESS);
      expect(Buffer.from(r.checksumResponse!.blockChecksum).toString('hex')).toBe(compositeCrc(bytesOf(b)).toString('hex'));
      expect(r.checksumResponse!.blockChecksumOptions?.blockChecksumType).toBe(COMPOSITE_CRC);
    }
  }
});

test('COMPOSITE_CRC composes the blocks’ CRCs into the CRC32C of the whole file', async () => {
  const composer = new CrcComposer(ChecksumType.CRC32C, BLOCK);
  for (const b of blocks) {
    const [r] = await everyReplica(b, b.block.numBytes, { options: { blockChecksumType: COMPOSITE_CRC } });
    composer.update(Buffer.from(r!.checksumResponse!.blockChecksum).readUInt32BE(0), b.block.numBytes);
  }
  expect(composer.digest().toString('hex')).toBe(compositeCrc(DATA).toString('hex'));
});

test('COMPOSITE_CRC with a stripe length: one CRC32C per stripe, the last one short; a shorter request is cut', async () => {
  const b = blocks[2]!;
  const stripe = 4096;
  const expected = (length: number) => {
    const bytes = bytesOf(b).subarray(0, length);
    const out: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += stripe) out.push(compositeCrc(bytes.subarray(at, at + stripe)));
    return Buffer.concat(out).toString('hex');
  };
  for (const length of [b.block.numBytes, 5000, 1000]) {
    for (const r of await everyReplica(b, length, { options: { blockChecksumType: COMPOSITE_CRC, stripeLength: stripe } })) {
      expect(Buffer.from(r.checksumResponse!.blockChecksum).toString('hex')).toBe(expected(length));
    }
  }
});

test('hostile input: a length past 2^63 means the whole replica, a misaligned stripe is an error, the datanode keeps serving', async () => {
  const b = blocks[2]!;
  const [whole] = await everyReplica(b, Long.MAX_UNSIGNED_VALUE);
  expect(Buffer.from(whole!.checksumResponse!.blockChecksum).equals(blockMd5('CRC32C', bytesOf(b)))).toBe(true);
  const [huge] = await everyReplica(b, b.block.numBytes, { options: { blockChecksumType: COMPOSITE_CRC, stripeLength: Long.MAX_UNSIGNED_VALUE } });
  expect(Buffer.from(huge!.checksumResponse!.blockChecksum).toString('hex')).toBe(compositeCrc(bytesOf(b)).toString('hex'));
  const [misaligned] = await everyReplica(b, b.block.numBytes, { options: { blockChecksumType: COMPOSITE_CRC, stripeLength: 1000 } });
  expect(misaligned!.status).toBe(Status.ERROR);
  expect(misaligned!.message).toMatch(/without stripe alignment/);
  // An enum value Hadoop does not know reads as its default, MD5CRC.
  const [unknownType] = await everyReplica(b, b.block.numBytes, { options: { blockChecksumType: 7 as hadoop.hdfs.BlockChecksumTypeProto } });
  expect(Buffer.from(unknownType!.checksumResponse!.blockChecksum).equals(blockMd5('CRC32C', bytesOf(b)))).toBe(true);
  const [after] = await everyReplica(b, b.block.numBytes);
  expect(after!.status).toBe(Status.SUCCESS);
});

test('block tokens: none, or one for another block, is refused with ERROR_ACCESS_TOKEN; a newer stamp than the replica’s is an error', async () => {
  const [b0, b1] = [blocks[0]!, blocks[1]!];
  const port = b0.locations[0]!.datanode.xferPort;
  const { poolId } = await blockTokenFor(f.namenode, b0.block.blockId);
  expect((await blockChecksum(port, b0.block.blockId, b0.block.numBytes, { poolId })).status).toBe(Status.ERROR_ACCESS_TOKEN);
  const other = await blockTokenFor(f.namenode, b1.block.blockId);
  expect((await blockChecksum(port, b0.block.blockId, b0.block.numBytes, other)).status).toBe(Status.ERROR_ACCESS_TOKEN);
  const mine = await blockTokenFor(f.namenode, b0.block.blockId);
  const newer = await blockChecksum(port, b0.block.blockId, b0.block.numBytes, { ...mine, generationStamp: b0.block.genStamp + 1 });
  expect(newer.status).toBe(Status.ERROR);
});
