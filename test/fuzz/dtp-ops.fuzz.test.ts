import fc from 'fast-check';
import Long from 'long';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startDatanode, type RunningDatanode } from '../../datanode/datanode';
import { UnsupportedChecksumError } from '../../protocol/datatransfer/checksum';
import { decodeOpHeader, decodeVarint32, encodeOpRequest, Op } from '../../protocol/datatransfer/op-codec';
import { decodePacket, encodePacket } from '../../protocol/datatransfer/packet-codec';
import { ProtocolError } from '../../protocol/datatransfer/wire-errors';
import { hadoop } from '../../protocol/generated/hadoop';
import { CRC32C_512, POOL, readBlock, writeBlock } from '../datanode/dtp-test-client';
import { computeChunkChecksums } from '../../protocol/datatransfer/checksum';

/**
 * Random and mutated DataTransferProtocol requests against a live datanode.
 * After every batch the datanode still serves, and a control block —
 * finalized, at a stamp and length the generators never name — reads back
 * byte-exact. FUZZ_RUNS raises the number of requests for long runs.
 */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1500);
const CONTROL = { blockId: 1_074_000_000, generationStamp: 777_777, length: 123_457 };
const { Status } = hadoop.hdfs;

const long = fc.oneof(
  fc.integer({ min: 0, max: 3000 }),
  fc.constantFrom(-1, 2 ** 31, Number.MAX_SAFE_INTEGER),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((b) => Long.fromString(b.toString())),
);
const blockId = fc.oneof(fc.constant(CONTROL.blockId), fc.integer({ min: CONTROL.blockId + 1, max: CONTROL.blockId + 20 }), long);
const block = fc.record({ poolId: fc.constant(POOL), blockId, generationStamp: long, numBytes: long });
const header = fc.record({ baseHeader: fc.record({ block }), clientName: fc.constantFrom('', 'fuzz', 'DFSClient_x') });
let ports: number[] = [];
const target = fc.record({
  id: fc.record({
    ipAddr: fc.constantFrom('127.0.0.1', '', '0.0.0.0', 'not a host', 'localhost'),
    hostName: fc.constantFrom('', 'localhost', 'x'.repeat(300)),
    datanodeUuid: fc.constant('dn'),
    xferPort: fc.oneof(fc.integer({ min: 0, max: 70_000 }), fc.constantFrom(0).map(() => ports[0] ?? 0), fc.constantFrom(0).map(() => ports[1] ?? 0)),
    infoPort: fc.constant(0),
    ipcPort: fc.constant(0),
  }),
});
const checksum = fc.record({ type: fc.integer({ min: 0, max: 4 }), bytesPerChecksum: fc.oneof(fc.constant(512), fc.integer({ min: 0, max: 2 ** 32 - 1 })) });

const writeOp = fc.record({
  header,
  targets: fc.array(target, { maxLength: 3 }),
  stage: fc.integer({ min: 0, max: 8 }),
  pipelineSize: fc.integer({ min: 0, max: 4 }),
  minBytesRcvd: long,
  maxBytesRcvd: long,
  latestGenerationStamp: long,
  requestedChecksum: checksum,
});
const packet = fc.record({
  offsetInBlock: fc.integer({ min: 0, max: 70_000 }),
  seqno: fc.integer({ min: -1, max: 10 }),
  lastPacketInBlock: fc.boolean(),
  syncBlock: fc.boolean(),
  data: fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
  goodChecksums: fc.boolean(),
});

/** One request as bytes: a whole op (with packets for a write), before any mutation. */
const request = fc.oneof(
  fc.tuple(writeOp, fc.array(packet, { maxLength: 4 })).map(([op, packets]) =>
    Buffer.concat([
      encodeOpRequest(Op.WRITE_BLOCK, hadoop.hdfs.OpWriteBlockProto.encode(op).finish()),
      ...packets.map((p) =>
        encodePacket({ ...p, checksums: p.goodChecksums ? computeChunkChecksums(CRC32C_512, p.data) : Buffer.alloc(p.data.length % 7) }),
      ),
    ]),
  ),
  fc.record({ header, offset: long, len: long, sendChecksums: fc.boolean() }).map((op) => encodeOpRequest(Op.READ_BLOCK, hadoop.hdfs.OpReadBlockProto.encode(op).finish())),
  fc.record({ header: fc.record({ block }) }).map((op) => encodeOpRequest(Op.BLOCK_CHECKSUM, hadoop.hdfs.OpBlockChecksumProto.encode(op).finish())),
  fc.record({ header, targets: fc.array(target, { maxLength: 3 }) }).map((op) => encodeOpRequest(Op.TRANSFER_BLOCK, hadoop.hdfs.OpTransferBlockProto.encode(op).finish())),
  fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)),
);

type Mutation = { kind: 'flip'; at: number; mask: number } | { kind: 'cut'; at: number } | { kind: 'insert'; at: number; bytes: Uint8Array };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
);

function mutate(bytes: Buffer, mutations: Mutation[]): Buffer {
  let out = Buffer.from(bytes);
  for (const m of mutations) {
    if (out.length === 0) break;
    const at = m.at % out.length;
    if (m.kind === 'flip') out[at]! ^= m.mask;
    else if (m.kind === 'cut') out = out.subarray(0, at);
    else out = Buffer.concat([out.subarray(0, at), m.bytes, out.subarray(at)]);
  }
  return out;
}

/** Sends the bytes, half-closes, and waits for the datanode to close its side (its answer is not judged). */
function send(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.on('close', () => resolve());
    socket.on('connect', () => socket.end(bytes));
  });
}

describe('DataTransferProtocol ops, fuzzed against a live datanode', () => {
  let root: string;
  let dn: RunningDatanode;
  let peer: RunningDatanode;
  const data = Buffer.from(Array.from({ length: CONTROL.length }, (_, i) => (i * 31 + 7) & 0xff));

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'nnfleet-fuzz-dtp-'));
    const logger = pino({ level: 'silent' });
    // No namenode hands out keys: block tokens off, so fuzzed ops reach the op decoders and the replica rules behind the token check.
    const options = { namenodes: [], host: '127.0.0.1', xferPort: 0, logger, connectTimeoutMs: 500, socketTimeoutMs: 5_000, blockAccessTokens: false };
    dn = await startDatanode({ ...options, dataDir: join(root, 'dn') });
    peer = await startDatanode({ ...options, dataDir: join(root, 'peer') });
    ports = [dn.xferPort, peer.xferPort];
    const written = await writeBlock(dn.xferPort, { blockId: CONTROL.blockId, generationStamp: CONTROL.generationStamp, data });
    expect(written.response.status).toBe(Status.SUCCESS);
  });
  afterAll(async () => {
    await dn.stop();
    await peer.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('stays up and keeps the control block byte-exact', async () => {
    let sent = 0;
    let peakRss = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(request, fc.array(mutation, { maxLength: 3 })), { minLength: 1, maxLength: 5 }), async (batch) => {
        await Promise.all(batch.map(([bytes, mutations]) => send(dn.xferPort, mutate(bytes, mutations))));
        sent += batch.length;
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        const control = await readBlock(dn.xferPort, CONTROL.blockId, 0, CONTROL.length);
        expect(control.response.status).toBe(Status.SUCCESS);
        expect(control.data.equals(data)).toBe(true);
      }),
      { numRuns: Math.max(1, Math.floor(RUNS / 3)) },
    );
    if (process.env['FUZZ_RUNS']) process.stdout.write(`dtp fuzz: ${sent} requests, peak RSS ${Math.round(peakRss / 2 ** 20)} MiB (test process, datanode in it)\n`);
  }, Math.max(60_000, RUNS * 60));

  it('decoders throw only typed errors on any bytes', () => {
    const typed = (err: unknown): boolean => err instanceof ProtocolError || err instanceof UnsupportedChecksumError;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), fc.uint8Array({ minLength: 6, maxLength: 6 }), (bytes, prefix) => {
        for (const decode of [() => decodeOpHeader(bytes), () => decodeVarint32(bytes), () => decodePacket(Buffer.from(bytes)), () => decodePacket(Buffer.concat([prefix, bytes]))]) {
          try {
            decode();
          } catch (err) {
            if (!typed(err)) throw err;
          }
        }
      }),
      { numRuns: RUNS * 10 },
    );
  }, Math.max(60_000, RUNS * 60));
});
