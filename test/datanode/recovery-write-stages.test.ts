import Long from 'long';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalBlockStore } from '../../datanode/store/local-block-store';
import type { ReplicaInfo } from '../../datanode/store/block-store';
import { hadoop } from '../../protocol/generated/hadoop';
import { computeChunkChecksums } from '../../protocol/datatransfer/checksum';
import { encodeOpRequest, Op } from '../../protocol/datatransfer/op-codec';
import { encodePacket } from '../../protocol/datatransfer/packet-codec';
import { runCli, type CliRun } from '../cli/cli-process';
import { payload } from '../harness/payload';
import { CRC32C_512, dial, OpenWrite, POOL, readBlock, writeBlock } from './dtp-test-client';

/**
 * The recovery write stages of DataTransferProtocol against a real
 * `nnfleet datanode` process, as Hadoop's FsDatasetImpl takes them:
 * PIPELINE_SETUP_STREAMING_RECOVERY (recoverRbw), PIPELINE_CLOSE_RECOVERY
 * (recoverClose), PIPELINE_SETUP_APPEND_RECOVERY (recoverAppend), and the
 * TRANSFER_RBW / TRANSFER_FINALIZED streams a datanode sends another. After
 * each, the process is stopped and its block store opened to check the
 * replica's bytes, generation stamp and state; refusals (a stale stamp, an
 * unknown block, a replica in the wrong state or of the wrong length)
 * answer ERROR and leave the replica as it was.
 */
const { Status } = hadoop.hdfs;
const Stage = hadoop.hdfs.OpWriteBlockProto.BlockConstructionStage;
let root: string;
let dataDir: string;
let dn: CliRun | undefined;
let port: number;
let nextBlockId = 1_073_800_000;

async function startDatanode(): Promise<void> {
  // No namenode answers at port 1: the datanode serves DataTransferProtocol all the same.
  dn = runCli(['datanode', '--data-dir', dataDir, '--namenodes', '127.0.0.1:1', '--host', '127.0.0.1', '--xfer-port', '0', '--no-block-access-tokens', '--log-level', 'error']);
  const m = await dn.waitFor(/^datanode listening xfer=\S+:(\d+) uuid=\S+$/m, 30_000);
  port = Number(m[1]);
}

async function stopDatanode(): Promise<void> {
  if (!dn) return;
  const running = dn;
  dn = undefined;
  if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGTERM');
  await running.exited;
}

/** The replica the process left on disk: stop it, open its store, start it again. */
async function storedReplica(blockId: number): Promise<{ info: ReplicaInfo | undefined; bytes: Buffer }> {
  await stopDatanode();
  try {
    const store = await LocalBlockStore.open(dataDir);
    const info = store.get(blockId);
    if (!info) return { info, bytes: Buffer.alloc(0) };
    const reader = await store.openReader(info);
    try {
      return { info, bytes: await reader.readData(0, info.numBytes) };
    } finally {
      await reader.close();
    }
  } finally {
    await startDatanode();
  }
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'nnfleet-recstages-'));
  dataDir = join(root, 'dn');
  await startDatanode();
});
afterAll(async () => {
  await stopDatanode();
  rmSync(root, { recursive: true, force: true });
});

/** A replica being written whose writer died: `data` acknowledged, no last packet. */
async function abandonedRbw(blockId: number, generationStamp: number, data: Buffer): Promise<void> {
  const w = await OpenWrite.open(port, { blockId, generationStamp, stage: Stage.PIPELINE_SETUP_CREATE, latestGenerationStamp: 0 });
  expect(w.response.status).toBe(Status.SUCCESS);
  expect((await w.packet(0, data, { sync: true })).reply).toEqual([Status.SUCCESS]);
  w.close();
}

async function finalizedReplica(blockId: number, generationStamp: number, data: Buffer): Promise<void> {
  const { response, acks } = await writeBlock(port, { blockId, generationStamp, data });
  expect(response.status).toBe(Status.SUCCESS);
  expect(acks.at(-1)?.reply).toEqual([Status.SUCCESS]);
}

interface Recovery {
  blockId: number;
  stage: hadoop.hdfs.OpWriteBlockProto.BlockConstructionStage;
  /** The stamp the writer last knew (the op header's block). */
  writerStamp: number;
  /** The new stamp updateBlockForPipeline gave. */
  newStamp: number;
  minBytes: number;
  maxBytes?: number;
}

const openRecovery = (r: Recovery) =>
  OpenWrite.open(port, {
    blockId: r.blockId,
    generationStamp: r.writerStamp,
    stage: r.stage,
    latestGenerationStamp: r.newStamp,
    minBytesRcvd: r.minBytes,
    maxBytesRcvd: r.maxBytes ?? r.minBytes,
  });

/** Opens the recovery, sends `more` at `offset` (if any) and the last packet; the acks' statuses. */
async function recover(r: Recovery, offset: number, more?: Buffer): Promise<number[][]> {
  const w = await openRecovery(r);
  try {
    expect(w.response).toMatchObject({ status: Status.SUCCESS });
    const replies: number[][] = [];
    if (more) replies.push((await w.packet(offset, more)).reply);
    replies.push((await w.packet(offset + (more?.length ?? 0), Buffer.alloc(0), { last: true })).reply);
    return replies;
  } finally {
    w.close();
  }
}

/** The op response of a recovery that must be refused (the connection then closes). */
async function refusal(r: Recovery): Promise<hadoop.hdfs.BlockOpResponseProto> {
  const w = await openRecovery(r);
  w.close();
  return w.response;
}

describe('PIPELINE_SETUP_STREAMING_RECOVERY (recoverRbw)', () => {
  test('continues an abandoned RBW replica at a new stamp with its bytes, then finalizes it', async () => {
    const blockId = nextBlockId++;
    const head = payload(1536, 1);
    await abandonedRbw(blockId, 1001, head);
    const tail = payload(700, 2);
    expect(await recover({ blockId, stage: Stage.PIPELINE_SETUP_STREAMING_RECOVERY, writerStamp: 1001, newStamp: 1002, minBytes: 1536 }, 1536, tail)).toEqual([[Status.SUCCESS], [Status.SUCCESS]]);
    const { info, bytes } = await storedReplica(blockId);
    expect(info).toMatchObject({ generationStamp: 1002, numBytes: 2236, state: 'finalized' });
    expect(bytes.equals(Buffer.concat([head, tail]))).toBe(true);
    const read = await readBlock(port, blockId, 0, 2236);
    expect(read.data.equals(bytes)).toBe(true);
  });

  test('refused: a stamp not newer than the replica, an unknown block, a finalized replica, fewer bytes than acknowledged', async () => {
    const blockId = nextBlockId++;
    await abandonedRbw(blockId, 2001, payload(1024, 3));
    const base = { blockId, stage: Stage.PIPELINE_SETUP_STREAMING_RECOVERY, writerStamp: 2001, minBytes: 1024 };
    // recoverRbw's range: the replica's stamp must lie in [writer's stamp, new stamp].
    expect((await refusal({ ...base, newStamp: 2000 })).status).toBe(Status.ERROR);
    expect((await refusal({ ...base, blockId: 9_999_999, newStamp: 2002 })).status).toBe(Status.ERROR);
    // The replica holds 1024 bytes: a writer that had 2048 acknowledged cannot continue from it.
    expect((await refusal({ ...base, newStamp: 2002, minBytes: 2048, maxBytes: 2048 })).status).toBe(Status.ERROR);
    const finalizedId = nextBlockId++;
    await finalizedReplica(finalizedId, 2001, payload(100, 4));
    expect((await refusal({ ...base, blockId: finalizedId, newStamp: 2002, minBytes: 100 })).status).toBe(Status.ERROR);
    // Nothing changed on disk.
    expect((await storedReplica(blockId)).info).toMatchObject({ generationStamp: 2001, numBytes: 1024, state: 'rbw' });
    expect((await storedReplica(finalizedId)).info).toMatchObject({ generationStamp: 2001, numBytes: 100, state: 'finalized' });
  });
});

describe('PIPELINE_CLOSE_RECOVERY (recoverClose)', () => {
  test('a finalized replica at the writer\'s stamp moves to the new stamp, bytes unchanged', async () => {
    const blockId = nextBlockId++;
    const data = payload(1000, 5);
    await finalizedReplica(blockId, 3001, data);
    expect(await recover({ blockId, stage: Stage.PIPELINE_CLOSE_RECOVERY, writerStamp: 3001, newStamp: 3005, minBytes: 1000 }, 1000)).toEqual([[Status.SUCCESS]]);
    const { info, bytes } = await storedReplica(blockId);
    expect(info).toMatchObject({ generationStamp: 3005, numBytes: 1000, state: 'finalized' });
    expect(bytes.equals(data)).toBe(true);
  });

  test('refused: a new stamp older than the replica, another length, an unknown block', async () => {
    const blockId = nextBlockId++;
    await finalizedReplica(blockId, 4001, payload(800, 6));
    const base = { blockId, stage: Stage.PIPELINE_CLOSE_RECOVERY, writerStamp: 4001, minBytes: 800 };
    // recoverCheck: the replica's stamp must lie in [writer's stamp, new stamp].
    expect((await refusal({ ...base, writerStamp: 3999, newStamp: 4000 })).status).toBe(Status.ERROR);
    expect((await refusal({ ...base, newStamp: 4002, minBytes: 700, maxBytes: 700 })).status).toBe(Status.ERROR);
    expect((await refusal({ ...base, blockId: 9_999_998, newStamp: 4002 })).status).toBe(Status.ERROR);
    expect((await storedReplica(blockId)).info).toMatchObject({ generationStamp: 4001, numBytes: 800, state: 'finalized' });
  });
});

describe('PIPELINE_SETUP_APPEND_RECOVERY (recoverAppend)', () => {
  test('reopens a finalized replica at a new stamp and appends to it', async () => {
    const blockId = nextBlockId++;
    const head = payload(700, 7);
    await finalizedReplica(blockId, 5001, head);
    // The first packet fills the partial chunk up to the 512-byte boundary, as DataStreamer does.
    const tail = payload(324, 8);
    expect(await recover({ blockId, stage: Stage.PIPELINE_SETUP_APPEND_RECOVERY, writerStamp: 5001, newStamp: 5003, minBytes: 700 }, 700, tail)).toEqual([[Status.SUCCESS], [Status.SUCCESS]]);
    const { info, bytes } = await storedReplica(blockId);
    expect(info).toMatchObject({ generationStamp: 5003, numBytes: 1024, state: 'finalized' });
    expect(bytes.equals(Buffer.concat([head, tail]))).toBe(true);
  });

  test('refused: a replica newer than the new stamp, another length, an unknown block', async () => {
    const blockId = nextBlockId++;
    await finalizedReplica(blockId, 6002, payload(600, 9));
    const base = { blockId, stage: Stage.PIPELINE_SETUP_APPEND_RECOVERY, writerStamp: 6002, newStamp: 6005, minBytes: 600 };
    // recoverCheck: the replica's stamp (6002) must lie in [writer's stamp, new stamp].
    expect((await refusal({ ...base, writerStamp: 6000, newStamp: 6001 })).status).toBe(Status.ERROR);
    expect((await refusal({ ...base, minBytes: 512, maxBytes: 512 })).status).toBe(Status.ERROR);
    expect((await refusal({ ...base, blockId: 9_999_997 })).status).toBe(Status.ERROR);
    expect((await storedReplica(blockId)).info).toMatchObject({ generationStamp: 6002, numBytes: 600, state: 'finalized' });
  });
});

/** A datanode's TRANSFER_RBW/TRANSFER_FINALIZED stream: op, packets, last packet, then only a close-ack. */
async function transfer(stage: hadoop.hdfs.OpWriteBlockProto.BlockConstructionStage, blockId: number, generationStamp: number, data: Buffer): Promise<hadoop.hdfs.BlockOpResponseProto> {
  const { socket, reader } = await dial(port);
  try {
    const op: hadoop.hdfs.IOpWriteBlockProto = {
      header: { baseHeader: { block: { poolId: POOL, blockId: Long.fromNumber(blockId, true), generationStamp, numBytes: data.length } }, clientName: 'DFSClient_transfer' },
      targets: [],
      stage,
      pipelineSize: 1,
      minBytesRcvd: data.length,
      maxBytesRcvd: data.length,
      latestGenerationStamp: generationStamp,
      requestedChecksum: { type: CRC32C_512.type, bytesPerChecksum: CRC32C_512.bytesPerChecksum },
    };
    socket.write(encodeOpRequest(Op.WRITE_BLOCK, hadoop.hdfs.OpWriteBlockProto.encode(op).finish()));
    socket.write(encodePacket({ offsetInBlock: 0, seqno: 0, lastPacketInBlock: false, syncBlock: false, checksums: computeChunkChecksums(CRC32C_512, data), data }));
    socket.write(encodePacket({ offsetInBlock: data.length, seqno: 1, lastPacketInBlock: true, syncBlock: false, checksums: Buffer.alloc(0), data: Buffer.alloc(0) }));
    return await reader.message(hadoop.hdfs.BlockOpResponseProto);
  } finally {
    socket.destroy();
  }
}

test('a client gone before its op response leaves no live writer: a newer stamp\'s transfer replaces the replica', async () => {
  const blockId = nextBlockId++;
  // The op, then the connection closed at once: the datanode opens the replica and finds no one to answer.
  const { socket } = await dial(port);
  const op: hadoop.hdfs.IOpWriteBlockProto = {
    header: { baseHeader: { block: { poolId: POOL, blockId: Long.fromNumber(blockId, true), generationStamp: 9001, numBytes: 0 } }, clientName: 'DFSClient_gone' },
    targets: [],
    stage: Stage.PIPELINE_SETUP_CREATE,
    pipelineSize: 1,
    minBytesRcvd: 0,
    maxBytesRcvd: 0,
    latestGenerationStamp: 0,
    requestedChecksum: { type: CRC32C_512.type, bytesPerChecksum: CRC32C_512.bytesPerChecksum },
  };
  socket.write(encodeOpRequest(Op.WRITE_BLOCK, hadoop.hdfs.OpWriteBlockProto.encode(op).finish()));
  // At once, and a reset, not a close: the datanode's answer then fails to go.
  socket.resetAndDestroy();
  // Once the datanode has opened the replica (a read finds it), the transfer is refused while the op's handler
  // holds the writer, and taken once it let go; a writer never let go refuses it for good.
  const pause = () => new Promise((r) => setTimeout(r, 20));
  let found = false;
  for (let i = 0; i < 100 && !found; i++) {
    found = (await readBlock(port, blockId, 0, 0).catch(() => undefined))?.response.status === Status.SUCCESS;
    if (!found) await pause();
  }
  expect(found).toBe(true);
  const data = payload(700, 14);
  let status = (await transfer(Stage.TRANSFER_RBW, blockId, 9002, data)).status;
  for (let i = 0; i < 100 && status === Status.ERROR_EXISTS; i++) {
    await pause();
    status = (await transfer(Stage.TRANSFER_RBW, blockId, 9002, data)).status;
  }
  expect(status).toBe(Status.SUCCESS);
  const { info, bytes } = await storedReplica(blockId);
  expect(info).toMatchObject({ generationStamp: 9002, numBytes: 700, state: 'rbw' });
  expect(bytes.equals(data)).toBe(true);
});

describe('TRANSFER_FINALIZED and TRANSFER_RBW', () => {
  test('a transferred finalized replica is stored finalized, a transferred RBW one stays being written', async () => {
    const finalizedId = nextBlockId++;
    const rbwId = nextBlockId++;
    const a = payload(1500, 10);
    const b = payload(900, 11);
    expect((await transfer(Stage.TRANSFER_FINALIZED, finalizedId, 7001, a)).status).toBe(Status.SUCCESS);
    expect((await transfer(Stage.TRANSFER_RBW, rbwId, 7002, b)).status).toBe(Status.SUCCESS);
    const fin = await storedReplica(finalizedId);
    expect(fin.info).toMatchObject({ generationStamp: 7001, numBytes: 1500, state: 'finalized' });
    expect(fin.bytes.equals(a)).toBe(true);
    const rbw = await storedReplica(rbwId);
    expect(rbw.info).toMatchObject({ generationStamp: 7002, numBytes: 900, state: 'rbw' });
    expect(rbw.bytes.equals(b)).toBe(true);
  });

  test('a transfer onto a finalized replica of the block is refused (ERROR_EXISTS) and changes nothing', async () => {
    const blockId = nextBlockId++;
    const data = payload(400, 12);
    await finalizedReplica(blockId, 8001, data);
    expect((await transfer(Stage.TRANSFER_FINALIZED, blockId, 8002, payload(400, 13))).status).toBe(Status.ERROR_EXISTS);
    const { info, bytes } = await storedReplica(blockId);
    expect(info).toMatchObject({ generationStamp: 8001, numBytes: 400, state: 'finalized' });
    expect(bytes.equals(data)).toBe(true);
  });
});
