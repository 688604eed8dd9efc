import fc from 'fast-check';
import type { Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { decodeRequestFrame, decodeResponseFrame } from '../../protocol/ipc/frame-codec';
import { FrameDecoder } from '../../protocol/ipc/frame-decoder';
import { FrameTooLargeError, IpcProtocolError, PreambleError, RequestDecodeError } from '../../protocol/ipc/ipc-errors';
import { checkPreamble } from '../../protocol/ipc/preamble';
import { protoHandler, type RpcCallContext, type RpcHandler } from '../../protocol/ipc/rpc-handler';
import { IpcServer } from '../../protocol/ipc/server';
import { CLIENT_PROTOCOL, DATANODE_PROTOCOL, DEFAULT_MAX_HANDSHAKE_BYTES, PREAMBLE_LENGTH } from '../../protocol/ipc/wire-constants';
import { closed, openRaw } from '../protocol/ipc-raw-peers';
import { directoryStatus } from '../protocol/ipc-test-service';
import { FUZZED_METHODS, hostileStream, mutation } from './ipc-fuzz-inputs';

/** Fuzzed connections (and decoder runs); `npm run fuzz -- --runs N` raises it. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 42);
const BATCH = 500;
const PARALLEL = 32;

const EMPTY_RESPONSE = { encode: () => ({ finish: () => new Uint8Array(0) }) };
const decodingHandler = (method: (typeof FUZZED_METHODS)[number]): RpcHandler => protoHandler(method.request, EMPTY_RESPONSE, async () => ({}));
const handlers = new Map(FUZZED_METHODS.map((m) => [m.method, decodingHandler(m)]));

const ctx: RpcCallContext = { user: 'fuzz', clientId: Buffer.alloc(16), callId: 0, retryCount: -1, remoteAddress: '127.0.0.1', remotePort: 0, protocol: CLIENT_PROTOCOL, method: '', connection: {} };

/** The typed errors each decoder is allowed to throw; anything else (RangeError, allocation failure) fails the property. */
function expectTyped(err: unknown, ...allowed: (new (...args: never[]) => Error)[]): void {
  if (!allowed.some((type) => err instanceof type)) throw new Error(`untyped decoder failure: ${String(err)}`, { cause: err });
}

/** Everything the server does with a connection's bytes, as pure decoding. */
async function decodeAll(bytes: Buffer): Promise<void> {
  try {
    checkPreamble(bytes.subarray(0, PREAMBLE_LENGTH));
  } catch (err) {
    expectTyped(err, PreambleError);
  }
  let frames: Buffer[] = [];
  try {
    frames = new FrameDecoder(DEFAULT_MAX_HANDSHAKE_BYTES).push(bytes.subarray(PREAMBLE_LENGTH));
  } catch (err) {
    expectTyped(err, FrameTooLargeError);
  }
  for (const frame of frames) {
    try {
      decodeResponseFrame(frame);
    } catch (err) {
      expectTyped(err, IpcProtocolError);
    }
    let decoded;
    try {
      decoded = decodeRequestFrame(frame);
    } catch (err) {
      expectTyped(err, IpcProtocolError);
      continue;
    }
    if (decoded.kind !== 'call') continue;
    await handlers.get(decoded.request.methodName)?.(ctx, decoded.body).catch((err: unknown) => expectTyped(err, RequestDecodeError));
  }
}

describe('IPC frames under fuzzing', () => {
  it('fuzzes every method the namenode registers, each with its own request type', () => {
    const names = FUZZED_METHODS.map((m) => `${m.protocol}.${m.method}`);
    expect(new Set(names).size).toBe(names.length);
    // Spot checks that the derivation reached both protocols and distinct request types.
    expect(names).toEqual(expect.arrayContaining([`${CLIENT_PROTOCOL}.getFileInfo`, `${CLIENT_PROTOCOL}.getContentSummary`, `${DATANODE_PROTOCOL}.blockReport`, `${DATANODE_PROTOCOL}.sendHeartbeat`]));
    expect(new Set(FUZZED_METHODS.map((m) => m.request)).size).toBeGreaterThan(30);
    process.stdout.write(`ipc fuzz: ${FUZZED_METHODS.length} methods: ${names.join(' ')}\n`);
  });

  it('decoders return a value or throw their typed error, for hostile streams and damaged request messages', async () => {
    await fc.assert(fc.asyncProperty(hostileStream, async ({ bytes }) => decodeAll(bytes)), { numRuns: RUNS, seed: SEED });
    // Every method the namenode serves, each its share of the runs: a valid request of its own type decodes, then its mutations fail typed.
    const perMethod = Math.max(20, Math.ceil(RUNS / FUZZED_METHODS.length));
    for (const method of FUZZED_METHODS) {
      const handler = decodingHandler(method);
      await fc.assert(
        fc.asyncProperty(method.bodies, mutation, async (body, mutate) => {
          await handler(ctx, body);
          await handler(ctx, mutate(Buffer.from(body))).catch((err: unknown) => expectTyped(err, RequestDecodeError));
        }),
        { numRuns: perMethod, seed: SEED },
      );
    }
  }, Math.max(60_000, RUNS * 20));

  it('a live server closes each hostile connection, stays up, and keeps answering a control client', async () => {
    const server = new IpcServer({ handshakeTimeoutMs: 2000, lingerMs: 200 });
    for (const m of FUZZED_METHODS) server.register(m.protocol, m.method, decodingHandler(m));
    server.register(CLIENT_PROTOCOL, 'getFileInfo', protoHandler(hadoop.hdfs.GetFileInfoRequestProto, hadoop.hdfs.GetFileInfoResponseProto, async (c, req) => (req.src === '/control' ? { fs: directoryStatus('', c.user) } : {})));
    const { port } = await server.listen(0, '127.0.0.1');
    const control = await IpcClient.connect({ host: '127.0.0.1', port, user: 'control', protocolName: CLIENT_PROTOCOL });
    let connections = 0;
    let frames = 0;
    let lingering = 0;
    const send = async ({ bytes }: { bytes: Buffer }): Promise<void> => {
      const socket: Socket = await openRaw(port);
      socket.end(bytes);
      const gone = await Promise.race([closed(socket).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000).unref())]);
      if (!gone) lingering++;
      socket.destroy();
    };
    try {
      for (let start = 0; start < RUNS; start += BATCH) {
        // Generated a batch at a time: a long run never holds all its inputs.
        const batch = fc.sample(hostileStream, { numRuns: Math.min(BATCH, RUNS - start), seed: SEED + start });
        connections += batch.length;
        let next = 0;
        await Promise.all(Array.from({ length: PARALLEL }, async () => {
          while (next < batch.length) {
            const input = batch[next++] as (typeof batch)[number];
            frames += input.frames;
            await send(input);
          }
        }));
        const answer = await control.call('getFileInfo', hadoop.hdfs.GetFileInfoRequestProto, { src: '/control' }, hadoop.hdfs.GetFileInfoResponseProto);
        expect(answer.fs?.owner).toBe('control');
      }
      expect(lingering).toBe(0);
      const stats = server.stats();
      process.stdout.write(
        `ipc fuzz: ${connections} hostile connections, ${frames} frames, seed ${SEED}, crashes 0, ` +
          `server holds ${stats.connections} connection(s) and ${stats.bufferedBytes} bytes after, peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB\n`,
      );
    } finally {
      await control.close();
      await server.close();
    }
  }, Math.max(60_000, RUNS * 30));
});
