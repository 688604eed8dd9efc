import Long from 'long';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { hadoop } from '../../../protocol/generated/hadoop';
import { startDatanode, type RunningDatanode } from '../../../datanode/datanode';
import { setUpMirror, type Mirror } from '../../../datanode/transfer/mirror';
import type { MirrorPool } from '../../../datanode/transfer/mirror-pool';
import type { TransferContext } from '../../../datanode/transfer/transfer-context';
import { datanodeInfo, dialMirror, POOL } from '../dtp-test-client';

const logger = pino({ level: 'silent' });
let root: string;
let downstream: RunningDatanode;
let stale: Server;
const opened: Socket[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'nnfleet-mirror-'));
  downstream = await startDatanode({ dataDir: join(root, 'dn'), namenodes: [], host: '127.0.0.1', xferPort: 0, logger, blockAccessTokens: false });
  // A peer that took a connection and dropped it while this side still held it idle.
  stale = createServer((socket) => socket.once('data', () => socket.destroy()));
  await new Promise<void>((resolve) => stale.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  for (const s of opened) s.destroy();
  await downstream.stop();
  await new Promise((resolve) => stale.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

function writeOp(blockId: number, targetPort: number): hadoop.hdfs.OpWriteBlockProto {
  const op: hadoop.hdfs.IOpWriteBlockProto = {
    header: { baseHeader: { block: { poolId: POOL, blockId: Long.fromNumber(blockId, true), generationStamp: 1001, numBytes: 0 } }, clientName: 'test-client' },
    targets: [datanodeInfo(targetPort)],
    stage: hadoop.hdfs.OpWriteBlockProto.BlockConstructionStage.PIPELINE_SETUP_CREATE,
    pipelineSize: 2,
    minBytesRcvd: 0,
    maxBytesRcvd: 0,
    latestGenerationStamp: 0,
    requestedChecksum: { type: hadoop.hdfs.ChecksumTypeProto.CHECKSUM_CRC32C, bytesPerChecksum: 512 },
  };
  return hadoop.hdfs.OpWriteBlockProto.decode(hadoop.hdfs.OpWriteBlockProto.encode(op).finish());
}

async function staleMirror(address: string): Promise<Mirror> {
  const m = await dialMirror((stale.address() as { port: number }).port, address);
  opened.push(m.socket);
  return m;
}

function contextWith(pool: Pick<MirrorPool, 'take'>): TransferContext {
  // setUpMirror reads only the pool and the two timeouts.
  return { mirrors: pool, connectTimeoutMs: 5_000, socketTimeoutMs: 5_000 } as unknown as TransferContext;
}

describe('setUpMirror over a pooled connection', () => {
  it('sends the op once more over a new connection when the pooled one closes unanswered', async () => {
    const address = `127.0.0.1:${downstream.xferPort}`;
    const pooled = await staleMirror(address);
    const taken: string[] = [];
    const ctx = contextWith({ take: (a: string) => (taken.push(a), pooled) });
    const setup = await setUpMirror(ctx, writeOp(1_073_800_001, downstream.xferPort), true);
    expect(taken).toEqual([address]);
    expect(setup.ok).toBe(true);
    if (!setup.ok) return;
    opened.push(setup.mirror.socket);
    expect(setup.mirror.socket).not.toBe(pooled.socket);
    expect(pooled.socket.destroyed).toBe(true);
    expect(setup.mirror.address).toBe(address);
  });

  it('reports the downstream as firstBadLink when the new connection fails as well', async () => {
    const address = `127.0.0.1:${downstream.xferPort}`;
    const pooled = await staleMirror(address);
    const port = (stale.address() as { port: number }).port;
    const ctx = contextWith({ take: () => pooled });
    // The op names the stale peer as the target, so the fresh connection meets the same drop.
    const setup = await setUpMirror(ctx, writeOp(1_073_800_002, port), true);
    expect(setup).toMatchObject({ ok: false, firstBadLink: `127.0.0.1:${port}` });
  });

  it('takes nothing from the pool for a stream that expects no op response', async () => {
    const taken: string[] = [];
    const ctx = contextWith({ take: (a: string) => (taken.push(a), undefined) });
    const setup = await setUpMirror(ctx, writeOp(1_073_800_003, downstream.xferPort), false);
    expect(setup.ok).toBe(true);
    if (setup.ok) opened.push(setup.mirror.socket);
    expect(taken).toEqual([]);
  });
});
