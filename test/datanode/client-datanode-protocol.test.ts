import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startDatanode, type RunningDatanode } from '../../datanode/datanode';
import { CLIENT_DATANODE_PROTOCOL } from '../../datanode/client-datanode-service';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { RemoteError } from '../../protocol/ipc/ipc-errors';
import { OpenWrite } from './dtp-test-client';
import { payload } from '../harness/payload';

const H = hadoop.hdfs;
const Stage = H.OpWriteBlockProto.BlockConstructionStage;
const POOL = 'BP-1-127.0.0.1-1';

async function visibleLength(client: IpcClient, blockId: number, generationStamp: number): Promise<number> {
  const { length } = await client.call('getReplicaVisibleLength', H.GetReplicaVisibleLengthRequestProto, { block: { poolId: POOL, blockId, generationStamp, numBytes: 0 } }, H.GetReplicaVisibleLengthResponseProto);
  return Number(length);
}

async function remoteErrorOf(p: Promise<unknown>): Promise<RemoteError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RemoteError) return e;
    throw e;
  }
  throw new Error('expected a RemoteError');
}

/**
 * ClientDatanodeProtocol on the datanode's IPC port: the visible length of a
 * replica being written (what a reader of an open file asks), and HDFS's
 * exceptions for a block the datanode does not hold or holds only in an
 * older generation.
 */
describe('datanode ClientDatanodeProtocol', () => {
  let root: string;
  let dn: RunningDatanode;
  let client: IpcClient;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'nnfleet-cdp-'));
    dn = await startDatanode({ dataDir: root, namenodes: [], host: '127.0.0.1', xferPort: 0, logger: pino({ level: 'silent' }), blockAccessTokens: false });
    client = await IpcClient.connect({ host: '127.0.0.1', port: dn.ipcPort, user: 'alice', protocolName: CLIENT_DATANODE_PROTOCOL });
  });

  afterAll(async () => {
    await client?.close();
    await dn?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers the bytes a replica holds while it is written, then once finalized', async () => {
    const data = payload(70_000, 9);
    const w = await OpenWrite.open(dn.xferPort, { blockId: 1_073_950_001, generationStamp: 1001, stage: Stage.PIPELINE_SETUP_CREATE });
    await w.packet(0, data.subarray(0, 65_536));
    expect(await visibleLength(client, 1_073_950_001, 1001)).toBe(65_536);
    await w.packet(65_536, data.subarray(65_536));
    await w.packet(data.length, Buffer.alloc(0), { last: true });
    w.close();
    expect(await visibleLength(client, 1_073_950_001, 1001)).toBe(70_000);
    // An older stamp than the replica's is fine (the replica was recovered since); a newer one is not.
    expect(await visibleLength(client, 1_073_950_001, 1000)).toBe(70_000);
    const newer = await remoteErrorOf(visibleLength(client, 1_073_950_001, 1002));
    expect(newer.className).toBe('java.io.IOException');
    expect(newer.message).toMatch(/replica.getGenerationStamp\(\) < block.getGenerationStamp\(\)/);
  });

  it('counts only what its pipeline acknowledged while a client writes; what it holds once the write is gone', async () => {
    const data = payload(10_000, 10);
    const w = await OpenWrite.open(dn.xferPort, { blockId: 1_073_950_002, generationStamp: 1001, stage: Stage.PIPELINE_SETUP_CREATE });
    expect(await visibleLength(client, 1_073_950_002, 1001)).toBe(0);
    await w.packet(0, data.subarray(0, 4_000));
    expect(await visibleLength(client, 1_073_950_002, 1001)).toBe(4_000);
    await w.packet(4_000, data.subarray(4_000));
    expect(await visibleLength(client, 1_073_950_002, 1001)).toBe(10_000);
    // The writer vanishes: the replica stays RBW and its stored bytes are the answer.
    w.close();
    expect(await visibleLength(client, 1_073_950_002, 1001)).toBe(10_000);
  });

  it('answers ReplicaNotFoundException for a block it does not hold, and serves on', async () => {
    const err = await remoteErrorOf(visibleLength(client, 42, 1));
    expect(err.className).toBe('org.apache.hadoop.hdfs.server.datanode.ReplicaNotFoundException');
    expect(err.message).toContain(`Replica not found for ${POOL}:blk_42_1`);
    const junk = await remoteErrorOf(client.callRaw('getReplicaVisibleLength', Buffer.from([0xff, 0xff, 0xff])));
    expect(junk.className).toBe('org.apache.hadoop.ipc.RpcServerException');
    expect(await visibleLength(client, 1_073_950_001, 1001)).toBe(70_000);
  });
});
