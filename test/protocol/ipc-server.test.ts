import { randomBytes } from 'node:crypto';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { ExceptionClass } from '../../protocol/ipc/exception-classes';
import { encodeConnectionContextFrame, encodePingFrame, encodeRequestFrame } from '../../protocol/ipc/frame-codec';
import { encodeFrame } from '../../protocol/ipc/frame-decoder';
import { IpcConnectionError, RemoteError, RpcErrorCode } from '../../protocol/ipc/ipc-errors';
import { protoHandler } from '../../protocol/ipc/rpc-handler';
import { IpcServer } from '../../protocol/ipc/server';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { encodePreamble } from '../../protocol/ipc/preamble';
import { until } from '../harness/eventually';
import { rawExchange, sleep, startTestServer } from './ipc-test-service';

const hdfs = hadoop.hdfs;
const { RpcStatusProto } = hadoop.common.RpcResponseHeaderProto;
const clientId = Buffer.from('fedcba9876543210');

function connectAs(port: number, user = 'alice', protocolName = CLIENT_PROTOCOL): Promise<IpcClient> {
  return IpcClient.connect({ host: '127.0.0.1', port, user, protocolName });
}

function stat(client: IpcClient, src: string): Promise<hadoop.hdfs.GetFileInfoResponseProto> {
  return client.call('getFileInfo', hdfs.GetFileInfoRequestProto, { src }, hdfs.GetFileInfoResponseProto);
}

async function remoteError(promise: Promise<unknown>): Promise<RemoteError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof RemoteError) return err;
    throw err;
  }
  throw new Error('expected a RemoteError');
}

const handshake = Buffer.concat([encodePreamble(), encodeConnectionContextFrame({ clientId, user: 'mallory', protocol: CLIENT_PROTOCOL })]);

const SaslState = hadoop.common.RpcSaslProto.SaslState;

/** A client's SASL message (call id -33), as Hadoop's SaslRpcClient sends it. */
function saslFrame(state: hadoop.common.RpcSaslProto.SaslState): Buffer {
  const header = hadoop.common.RpcRequestHeaderProto.encodeDelimited({
    rpcKind: hadoop.common.RpcKindProto.RPC_PROTOCOL_BUFFER,
    rpcOp: hadoop.common.RpcRequestHeaderProto.OperationProto.RPC_FINAL_PACKET,
    callId: -33,
    clientId: Buffer.alloc(0),
    retryCount: -1,
  }).finish();
  return encodeFrame([header, hadoop.common.RpcSaslProto.encodeDelimited({ state }).finish()]);
}

function callFrame(callId: number, method: string, body: Uint8Array): Buffer {
  return encodeRequestFrame({ callId, clientId, method, protocol: CLIENT_PROTOCOL }, body);
}

describe('IpcServer', () => {
  let server: IpcServer;
  let port: number;

  beforeEach(async () => {
    ({ server, port } = await startTestServer());
  });

  afterEach(async () => {
    await server.close();
  });

  it('answers a well-behaved client, with the user from the connection context', async () => {
    const client = await connectAs(port, 'alice');
    const answer = await stat(client, '/');
    expect(answer.fs?.owner).toBe('alice');
    expect(answer.fs?.fileType).toBe(hdfs.HdfsFileStatusProto.FileType.IS_DIR);
    const listing = await client.call('getListing', hdfs.GetListingRequestProto, { src: '/', startAfter: new Uint8Array(0), needLocation: false }, hdfs.GetListingResponseProto);
    expect(Buffer.from(listing.dirList?.partialListing?.[0]?.path ?? []).toString()).toBe('tmp');
    await client.close();
  });

  it('answers out of order: a fast call overtakes a slow one on the same connection', async () => {
    const client = await connectAs(port);
    const finished: string[] = [];
    const slow = stat(client, '/slow/300').then(() => finished.push('slow'));
    const fast = stat(client, '/').then(() => finished.push('fast'));
    await Promise.all([slow, fast]);
    expect(finished).toEqual(['fast', 'slow']);
    await client.close();
  });

  it('multiplexes many concurrent calls on one connection', async () => {
    const client = await connectAs(port);
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => stat(client, `/slow/${i % 7}`)));
    expect(answers.map((a) => Buffer.from(a.fs?.path ?? []).toString())).toEqual(Array.from({ length: 200 }, (_, i) => `slow/${i % 7}`));
    await client.close();
  });

  it('maps a typed error to its exact Hadoop exception class and keeps the connection open', async () => {
    const client = await connectAs(port);
    const err = await remoteError(stat(client, '/nope'));
    expect(err.className).toBe('java.io.FileNotFoundException');
    expect(err.message).toBe('File does not exist: /nope');
    expect(err.code).toBe(RpcErrorCode.ERROR_APPLICATION);
    expect(err.fatal).toBe(false);
    expect((await stat(client, '/')).fs?.owner).toBe('alice');
    await client.close();
  });

  it('maps unknown errors to java.io.IOException with the default mapper', async () => {
    const plain = new IpcServer();
    plain.register(CLIENT_PROTOCOL, 'mkdirs', async () => {
      throw new Error('boom');
    });
    const { port: plainPort } = await plain.listen(0, '127.0.0.1');
    const client = await connectAs(plainPort);
    const err = await remoteError(client.callRaw('mkdirs', new Uint8Array(0)));
    expect(err.className).toBe(ExceptionClass.IO);
    expect(err.message).toBe('boom');
    await client.close();
    await plain.close();
  });

  it('answers an unknown method with RpcNoSuchMethodException and stays open', async () => {
    const client = await connectAs(port);
    const err = await remoteError(client.callRaw('frobnicate', new Uint8Array(0)));
    expect(err.className).toBe('org.apache.hadoop.ipc.RpcNoSuchMethodException');
    expect(err.code).toBe(RpcErrorCode.ERROR_NO_SUCH_METHOD);
    expect((await stat(client, '/')).fs).toBeTruthy();
    await client.close();
  });

  it('answers an unknown protocol with RpcNoSuchProtocolException', async () => {
    const client = await connectAs(port, 'alice', 'org.example.NoSuchProtocol');
    const err = await remoteError(client.callRaw('getFileInfo', hdfs.GetFileInfoRequestProto.encode({ src: '/' }).finish()));
    expect(err.className).toBe('org.apache.hadoop.ipc.RpcNoSuchProtocolException');
    expect(err.code).toBe(RpcErrorCode.ERROR_NO_SUCH_PROTOCOL);
    await client.close();
  });

  it('answers an undecodable request body with RpcServerException and stays open', async () => {
    const client = await connectAs(port);
    const err = await remoteError(client.callRaw('getFileInfo', new Uint8Array(0)));
    expect(err.className).toBe('org.apache.hadoop.ipc.RpcServerException');
    expect(err.message).toMatch(/missing required 'src'/);
    expect((await stat(client, '/')).fs).toBeTruthy();
    await client.close();
  });

  it('ignores pings', async () => {
    const body = hdfs.GetFileInfoRequestProto.encode({ src: '/' }).finish();
    const outcome = await rawExchange(port, Buffer.concat([handshake, encodePingFrame(clientId), callFrame(5, 'getFileInfo', body), encodePingFrame(clientId)]), {
      endAfterWrite: true,
    });
    expect(outcome.answers.map((a) => [a.callId, a.header.status])).toEqual([[5, RpcStatusProto.SUCCESS]]);
    expect(hdfs.GetFileInfoResponseProto.decode(outcome.answers[0]?.body ?? new Uint8Array(0)).fs?.owner).toBe('mallory');
  });

  it('caps calls in flight per connection and still answers them all', async () => {
    let running = 0;
    let peak = 0;
    const capped = new IpcServer({ maxInFlightPerConnection: 3 });
    capped.register(
      CLIENT_PROTOCOL,
      'getFileInfo',
      protoHandler(hdfs.GetFileInfoRequestProto, hdfs.GetFileInfoResponseProto, async () => {
        running++;
        peak = Math.max(peak, running);
        await sleep(10);
        running--;
        return {};
      }),
    );
    const { port: cappedPort } = await capped.listen(0, '127.0.0.1');
    const client = await connectAs(cappedPort);
    await Promise.all(Array.from({ length: 30 }, () => stat(client, '/')));
    expect(peak).toBe(3);
    await client.close();
    await capped.close();
  });

  it('rejects pending calls when the connection drops', async () => {
    const client = await connectAs(port);
    const pending = stat(client, '/slow/300');
    await until('the slow call to be running', () => server.stats().runningCalls === 1);
    await server.close();
    await expect(pending).rejects.toBeInstanceOf(IpcConnectionError);
    await expect(stat(client, '/')).rejects.toBeInstanceOf(IpcConnectionError);
  });
});

describe('IpcServer under garbage', () => {
  let server: IpcServer;
  let port: number;
  let good: IpcClient;
  let goodAnswers = 0;
  let goodFailures: unknown[] = [];
  let stop = false;
  let loop: Promise<void>;

  beforeAll(async () => {
    ({ server, port } = await startTestServer());
    good = await connectAs(port, 'alice');
    loop = (async () => {
      while (!stop) {
        try {
          const answer = await stat(good, '/');
          if (answer.fs?.owner === 'alice') goodAnswers++;
        } catch (err) {
          goodFailures.push(err);
        }
        await sleep(2);
      }
    })();
  });

  afterAll(async () => {
    stop = true;
    await loop;
    await good.close();
    await server.close();
  });

  /** Every garbage case runs between two checks that the good client is still served. */
  async function whileGoodClientKeepsWorking<T>(attack: () => Promise<T>): Promise<T> {
    const before = goodAnswers;
    const result = await attack();
    await until('three more answers to the good client', () => goodAnswers >= before + 3 || goodFailures.length > 0, 10_000, 5);
    expect(goodFailures).toEqual([]);
    return result;
  }

  it('closes a connection that sends random bytes', async () => {
    for (let i = 0; i < 5; i++) {
      const outcome = await whileGoodClientKeepsWorking(() => rawExchange(port, randomBytes(4096)));
      expect(outcome.closedByServer).toBe(true);
    }
  });

  it('closes a connection with a wrong preamble', async () => {
    const outcome = await whileGoodClientKeepsWorking(() => rawExchange(port, Buffer.from('HRPC\x09\x00\x00', 'latin1')));
    expect(outcome.closedByServer).toBe(true);
    expect(outcome.raw.length).toBe(0);
  });

  it('answers a wrong IPC version with FATAL_VERSION_MISMATCH, then closes', async () => {
    const outcome = await whileGoodClientKeepsWorking(() => rawExchange(port, Buffer.from([0x68, 0x72, 0x70, 0x63, 6, 0, 0])));
    expect(outcome.closedByServer).toBe(true);
    expect(outcome.answers[0]?.header.status).toBe(RpcStatusProto.FATAL);
    expect(outcome.answers[0]?.header.errorDetail).toBe(RpcErrorCode.FATAL_VERSION_MISMATCH);
  });

  it('tells a SASL client that negotiates to use SIMPLE, then serves it (as a SIMPLE-only Hadoop server)', async () => {
    const body = hdfs.GetFileInfoRequestProto.encode({ src: '/' }).finish();
    const context = encodeConnectionContextFrame({ clientId, user: 'mallory', protocol: CLIENT_PROTOCOL });
    const outcome = await rawExchange(port, Buffer.concat([encodePreamble(0xdf), saslFrame(SaslState.NEGOTIATE), context, callFrame(5, 'getFileInfo', body)]), { endAfterWrite: true });
    expect(outcome.answers.map((a) => [a.callId, a.header.status])).toEqual([[-33, RpcStatusProto.SUCCESS], [5, RpcStatusProto.SUCCESS]]);
    expect(hadoop.common.RpcSaslProto.decode(outcome.answers[0]?.body ?? new Uint8Array(0)).state).toBe(SaslState.SUCCESS);
    expect(hdfs.GetFileInfoResponseProto.decode(outcome.answers[1]?.body ?? new Uint8Array(0)).fs?.owner).toBe('mallory');
  });

  it('refuses any other SASL exchange with a clear FATAL AccessControlException', async () => {
    for (const bytes of [Buffer.concat([encodePreamble(0xdf), saslFrame(SaslState.INITIATE)]), Buffer.concat([handshake, saslFrame(SaslState.NEGOTIATE)])]) {
      const outcome = await whileGoodClientKeepsWorking(() => rawExchange(port, bytes));
      expect(outcome.closedByServer).toBe(true);
      expect(outcome.answers[0]?.header.exceptionClassName).toBe(ExceptionClass.AccessControl);
      expect(outcome.answers[0]?.header.errorMsg).toMatch(/SIMPLE authentication only/);
      expect(outcome.answers[0]?.header.errorDetail).toBe(RpcErrorCode.FATAL_UNAUTHORIZED);
    }
  });

  it('tells a browser it reached the IPC port', async () => {
    const outcome = await whileGoodClientKeepsWorking(() => rawExchange(port, Buffer.from('GET / HTTP/1.1\r\n\r\n')));
    expect(outcome.raw.toString()).toMatch(/HTTP request to a Hadoop IPC port/);
  });

  it('closes a connection whose frame is truncated', async () => {
    const truncated = callFrame(1, 'getFileInfo', hdfs.GetFileInfoRequestProto.encode({ src: '/' }).finish()).subarray(0, 12);
    const outcome = await whileGoodClientKeepsWorking(() => rawExchange(port, Buffer.concat([handshake, truncated]), { endAfterWrite: true }));
    expect(outcome.closedByServer).toBe(true);
    expect(outcome.answers).toEqual([]);
  });

  it('closes a connection whose frame claims 2 GiB, without waiting for the bytes', async () => {
    const claim = Buffer.from([0x80, 0, 0, 0, 1, 2, 3, 4]);
    const outcome = await whileGoodClientKeepsWorking(() => rawExchange(port, Buffer.concat([handshake, claim])));
    expect(outcome.closedByServer).toBe(true);
  });

  it('answers an unparseable request header FATAL, then closes', async () => {
    const junkHeader = encodeFrame([Buffer.from([0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]);
    const outcome = await whileGoodClientKeepsWorking(() => rawExchange(port, Buffer.concat([handshake, junkHeader])));
    expect(outcome.closedByServer).toBe(true);
    expect(outcome.answers[0]?.header.status).toBe(RpcStatusProto.FATAL);
    expect(outcome.answers[0]?.header.errorDetail).toBe(RpcErrorCode.FATAL_INVALID_RPC_HEADER);
  });

  it('answers random frames after a valid handshake FATAL or closes', async () => {
    for (let i = 0; i < 20; i++) {
      const junk = encodeFrame([randomBytes(1 + (i * 37) % 300)]);
      const outcome = await whileGoodClientKeepsWorking(() => rawExchange(port, Buffer.concat([handshake, junk]), { endAfterWrite: true }));
      expect(outcome.closedByServer).toBe(true);
    }
  });

  it('refuses a call sent before the connection context', async () => {
    const body = hdfs.GetFileInfoRequestProto.encode({ src: '/' }).finish();
    const outcome = await whileGoodClientKeepsWorking(() => rawExchange(port, Buffer.concat([encodePreamble(), callFrame(1, 'getFileInfo', body)])));
    expect(outcome.closedByServer).toBe(true);
    expect(outcome.answers[0]?.header.status).toBe(RpcStatusProto.FATAL);
  });

  it('is left with only the good connection', async () => {
    await until('the garbage connections to be closed', () => server.connectionCount <= 1, 10_000, 10);
    expect(server.connectionCount).toBe(1);
    expect(goodFailures).toEqual([]);
  });
});
