import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startDatanode, type RunningDatanode } from '../../datanode/datanode';
import { hadoop } from '../../protocol/generated/hadoop';
import { OpenWrite, readBlock } from '../datanode/dtp-test-client';

/**
 * Issue 9, the DataTransferProtocol port: a peer cannot hold more than its
 * share of connections, a connection that never says what it wants is
 * closed, and garbage on one connection closes that connection only.
 */
const { Status } = hadoop.hdfs;
const Stage = hadoop.hdfs.OpWriteBlockProto.BlockConstructionStage;

function open(port: number, localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress });
    socket.once('error', reject);
    socket.once('connect', () => resolve(socket));
  });
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));
}

describe('DataTransferProtocol admission', () => {
  let root: string;
  let dn: RunningDatanode;
  const idle: Socket[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'nnfleet-sec-adm-'));
    dn = await startDatanode({
      dataDir: join(root, 'dn'),
      namenodes: [],
      host: '127.0.0.1',
      xferPort: 0,
      logger: pino({ level: 'silent' }),
      // No namenode hands out keys here: block tokens off (they are tested in block-tokens.test.ts).
      blockAccessTokens: false,
      xceiverLimits: { maxConnections: 12, maxConnectionsPerAddress: 5, handshakeTimeoutMs: 300 },
    });
  });
  afterAll(async () => {
    for (const s of idle) s.destroy();
    await dn.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('closes a connection that sends no op before the handshake timeout', async () => {
    const silent = await open(dn.xferPort);
    silent.on('error', () => undefined);
    await closed(silent);
    // Half an op header is no better.
    const slow = await open(dn.xferPort);
    slow.on('error', () => undefined);
    slow.write(Buffer.from([0, 28]));
    await closed(slow);
  });

  it('refuses a peer over its share while another peer keeps writing', async () => {
    const writer = await OpenWrite.open(dn.xferPort, { blockId: 1_074_100_001, generationStamp: 1, stage: Stage.PIPELINE_SETUP_CREATE, localAddress: '127.0.0.2' });
    expect(writer.response.status).toBe(Status.SUCCESS);
    const first = Buffer.alloc(1000, 1);
    expect((await writer.packet(0, first)).reply).toEqual([Status.SUCCESS]);

    // Five writes from 127.0.0.1 that go quiet hold its share.
    for (let i = 0; i < 5; i++) {
      const quiet = await OpenWrite.open(dn.xferPort, { blockId: 1_074_100_010 + i, generationStamp: 1, stage: Stage.PIPELINE_SETUP_CREATE });
      expect(quiet.response.status).toBe(Status.SUCCESS);
      idle.push(quiet.socket);
    }
    const sixth = await open(dn.xferPort);
    sixth.on('error', () => undefined);
    await closed(sixth);

    // Garbage on yet another connection from another peer closes that one only.
    const garbage = await open(dn.xferPort, '127.0.0.3');
    garbage.on('error', () => undefined);
    garbage.write(Buffer.from([0, 99, 80, 1, 2, 3]));
    await closed(garbage);

    const second = Buffer.alloc(1000, 2);
    expect((await writer.packet(1000, second)).reply).toEqual([Status.SUCCESS]);
    expect((await writer.packet(2000, Buffer.alloc(0), { last: true })).reply).toEqual([Status.SUCCESS]);
    writer.close();
    const read = await readBlock(dn.xferPort, 1_074_100_001, 0, 2000, {}, '127.0.0.2');
    expect(read.data.equals(Buffer.concat([first, second]))).toBe(true);
  });
});
