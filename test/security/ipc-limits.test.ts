import type { Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { ExceptionClass } from '../../protocol/ipc/exception-classes';
import { IpcConnectionError, RemoteError, RpcErrorCode } from '../../protocol/ipc/ipc-errors';
import { protoHandler } from '../../protocol/ipc/rpc-handler';
import { IpcServer, type IpcServerOptions } from '../../protocol/ipc/server';
import { CLIENT_PROTOCOL, DATANODE_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { encodePreamble } from '../../protocol/ipc/preamble';
import { closed, getFileInfoFrame, handshakeBytes, openRaw, until } from '../protocol/ipc-raw-peers';
import { sleep, startTestServer } from '../protocol/ipc-test-service';

const hdfs = hadoop.hdfs;
const MiB = 1024 * 1024;

function connectAs(port: number, user = 'alice'): Promise<IpcClient> {
  return IpcClient.connect({ host: '127.0.0.1', port, user, protocolName: CLIENT_PROTOCOL });
}

function stat(client: IpcClient, src = '/'): Promise<hadoop.hdfs.GetFileInfoResponseProto> {
  return client.call('getFileInfo', hdfs.GetFileInfoRequestProto, { src }, hdfs.GetFileInfoResponseProto);
}

/** Servers and sockets a test opened, closed after it whatever happened. */
const opened: { servers: IpcServer[]; sockets: Socket[]; clients: IpcClient[] } = { servers: [], sockets: [], clients: [] };

async function server(options: IpcServerOptions): Promise<{ server: IpcServer; port: number }> {
  const started = await startTestServer(options);
  opened.servers.push(started.server);
  return started;
}

async function raw(port: number, localAddress?: string): Promise<Socket> {
  const socket = await openRaw(port, localAddress);
  opened.sockets.push(socket);
  return socket;
}

async function client(port: number): Promise<IpcClient> {
  const c = await connectAs(port);
  opened.clients.push(c);
  return c;
}

afterEach(async () => {
  for (const s of opened.sockets.splice(0)) s.destroy();
  await Promise.all(opened.clients.splice(0).map((c) => c.close()));
  await Promise.all(opened.servers.splice(0).map((s) => s.close()));
});

describe('IPC server limits', () => {
  it('closes a connection announcing a 64 MiB frame before its handshake, without buffering it', async () => {
    const { server: srv, port } = await server({});
    const socket = await raw(port);
    const rssBefore = process.memoryUsage().rss;
    // Preamble, then a frame length just under ipc.maximum.data.length and a first MiB of it.
    const header = Buffer.alloc(4);
    header.writeUInt32BE(64 * MiB - 1);
    socket.write(Buffer.concat([encodePreamble(), header]));
    socket.write(Buffer.alloc(MiB, 0x41));
    await closed(socket);
    expect(srv.stats().bufferedBytes).toBe(0);
    expect(srv.connectionCount).toBe(0);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(32 * MiB);
  });

  it('accepts a 1 MiB frame once the connection context has arrived, in the same write', async () => {
    const { port } = await server({});
    const c = await client(port);
    const answer = await stat(c, `/${'x'.repeat(MiB)}`).catch((err: unknown) => err);
    // The test service knows no such file: the call was read and answered, not refused as too large.
    expect(answer).toBeInstanceOf(RemoteError);
    expect((answer as RemoteError).className).toBe('java.io.FileNotFoundException');
  });

  it('closes a connection that sends no connection context within the handshake timeout', async () => {
    const { server: srv, port } = await server({ handshakeTimeoutMs: 300 });
    // A client that finished its handshake is not affected: connected first, it is older than the two the timeout closes.
    const c = await client(port);
    await until('the client to be accepted', () => srv.connectionCount === 1);
    const silent = await raw(port);
    const preambleOnly = await raw(port);
    preambleOnly.write(encodePreamble());
    await Promise.all([closed(silent), closed(preambleOnly)]);
    expect((await stat(c)).fs?.owner).toBe('alice');
    expect(srv.connectionCount).toBe(1);
  });

  it('closes an idle connection, never one with a call in flight', async () => {
    const { port } = await server({ maxIdleTimeMs: 300, idleScanThreshold: 0 });
    const busy = await client(port);
    expect((await stat(busy, '/slow/1200')).fs).toBeTruthy();
    const idle = await raw(port);
    idle.write(Buffer.concat([handshakeBytes(), getFileInfoFrame(1)]));
    await closed(idle);
  });

  it('tolerates idle connections below ipc.client.idlethreshold', async () => {
    const { server: srv, port } = await server({ maxIdleTimeMs: 200, idleScanThreshold: 3 });
    const a = await client(port);
    const b = await client(port);
    await stat(a);
    await stat(b);
    // A sleep on purpose: what is checked is that nothing happens over more than three idle times.
    await sleep(700);
    expect(srv.connectionCount).toBe(2);
    expect((await stat(a)).fs?.owner).toBe('alice');
    // The same sweeps close the idle one as soon as the connections reach the threshold.
    await client(port);
    await until('the idle connection to be closed at the threshold', () => srv.connectionCount < 3, 10_000);
    await expect(stat(b)).rejects.toBeInstanceOf(IpcConnectionError);
  });

  it('refuses connections beyond the per-address limit at accept; other addresses still get in', async () => {
    const { server: srv, port } = await server({ maxConnectionsPerAddress: 3 });
    const held = [await client(port), await client(port), await client(port)];
    const refused = await raw(port);
    await closed(refused);
    expect(srv.stats().refusedConnections).toBe(1);
    const other = await raw(port, '127.0.0.2');
    other.write(Buffer.concat([handshakeBytes(), getFileInfoFrame(7)]));
    await until('an answer on 127.0.0.2', () => srv.connectionCount === 4);
    for (const c of held) expect((await stat(c)).fs).toBeTruthy();
    await held[0]?.close();
    await until('the slot to be released', () => srv.connectionCount === 3);
    expect((await stat(await client(port))).fs).toBeTruthy();
  });

  it('refuses connections beyond the global limit, whatever their address', async () => {
    const { server: srv, port } = await server({ maxConnections: 2, maxConnectionsPerAddress: 0 });
    const first = await client(port);
    await raw(port, '127.0.0.3');
    await until('two connections', () => srv.connectionCount === 2);
    const refused = await raw(port, '127.0.0.4');
    await closed(refused);
    const late = await connectAs(port);
    await expect(stat(late)).rejects.toBeInstanceOf(IpcConnectionError);
    expect((await stat(first)).fs).toBeTruthy();
    expect(srv.stats().refusedConnections).toBe(2);
  });

  it('stops reading a client that never reads its answers; its memory stays bounded and others are served', async () => {
    const { server: srv, port } = await server({ maxInFlightPerConnection: 16 });
    const good = await client(port);
    const hog = await raw(port);
    hog.pause();
    hog.write(handshakeBytes());
    const rssBefore = process.memoryUsage().rss;
    // 40 MiB of calls: far more than socket buffers hold, so the server must stop reading.
    const batch = Buffer.concat(Array.from({ length: 1000 }, (_, i) => getFileInfoFrame(i)));
    let sent = 0;
    const pump = (): void => {
      while (sent < 40 * MiB) {
        sent += batch.length;
        if (!hog.write(batch)) return void hog.once('drain', pump);
      }
    };
    pump();
    await until('the server to pause the hog', () => srv.stats().pausedConnections === 1);
    for (let i = 0; i < 20; i++) expect((await stat(good)).fs?.owner).toBe('alice');
    // A sleep on purpose: the hog keeps pushing for a while, and what is checked is that the server still holds little of it.
    await sleep(300);
    const stats = srv.stats();
    expect(stats.pausedConnections).toBe(1);
    expect(sent).toBeLessThan(40 * MiB);
    // One socket read of queued calls plus unsent answers: well under what was offered.
    expect(stats.bufferedBytes).toBeLessThan(4 * MiB);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(64 * MiB);
    process.stdout.write(`ipc-limits: hog offered ${(sent / MiB).toFixed(1)} MiB before TCP backpressure, server holds ${stats.bufferedBytes} bytes for it\n`);
  });

  it('answers "Server too busy" (RetriableException, status ERROR) beyond the call queue; another client keeps getting answers', async () => {
    const { server: srv, port } = await server({ handlerCount: 2, callQueueSize: 4 });
    const flood = await client(port);
    const good = await client(port);
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () => stat(flood, '/slow/400').then(() => 'ok', (err: unknown) => err)),
    );
    const busy = outcomes.filter((o): o is RemoteError => o instanceof RemoteError);
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(6);
    expect(busy).toHaveLength(24);
    for (const err of busy) {
      expect(err.className).toBe(ExceptionClass.Retriable);
      expect(err.message).toBe('Server too busy');
      expect(err.code).toBe(RpcErrorCode.ERROR_RPC_SERVER);
      expect(err.fatal).toBe(false);
    }
    // The flood's connection stays open (ERROR, not FATAL) and the other client was never cut off.
    expect((await stat(flood)).fs).toBeTruthy();
    expect((await stat(good)).fs).toBeTruthy();
    expect(srv.stats().busyAnswers).toBe(24);
  });

  it('serves DatanodeProtocol calls from their own handlers and queue while client calls fill theirs', async () => {
    const { server: srv, port } = await server({ handlerCount: 2, callQueueSize: 4, priorityProtocols: [DATANODE_PROTOCOL] });
    srv.register(DATANODE_PROTOCOL, 'versionRequest', protoHandler(hdfs.VersionRequestProto, hdfs.VersionResponseProto, async () => ({ info: { buildVersion: 'b', unused: 0, blockPoolID: 'bp', storageInfo: { layoutVersion: 1, namespceID: 1, clusterID: 'c', cTime: 0 }, softwareVersion: '3.3.6' } })));
    const flood = await client(port);
    const datanode = await IpcClient.connect({ host: '127.0.0.1', port, user: 'dn', protocolName: DATANODE_PROTOCOL });
    opened.clients.push(datanode);
    const outcomes = Promise.all(Array.from({ length: 30 }, () => stat(flood, '/slow/1500').then(() => 'ok', (err: unknown) => err)));
    await until('the client queue to fill', () => srv.stats().queuedCalls === 4 && srv.stats().busyAnswers === 24);
    const answer = await datanode.call('versionRequest', hdfs.VersionRequestProto, {}, hdfs.VersionResponseProto);
    expect(answer.info?.blockPoolID).toBe('bp');
    // Answered while the client calls still wait: not queued behind them, not refused.
    expect(srv.stats().queuedCalls).toBe(4);
    expect(srv.stats().priorityBusyAnswers).toBe(0);
    expect((await outcomes).filter((o) => o === 'ok')).toHaveLength(6);
  });

  it('answers StandbyException when overflow triggers failover', async () => {
    const { port } = await server({ handlerCount: 1, callQueueSize: 0, overflowTriggersFailover: true });
    const c = await client(port);
    const outcomes = await Promise.all([stat(c, '/slow/200'), stat(c, '/slow/200')].map((p) => p.then(() => 'ok', (err: unknown) => err)));
    expect(outcomes[0]).toBe('ok');
    expect((outcomes[1] as RemoteError).className).toBe(ExceptionClass.Standby);
  });

  it('bounds expensive calls on their own while cheap calls pass them', async () => {
    let running = 0;
    let peak = 0;
    const srv = new IpcServer({ handlerCount: 8, callQueueSize: 100, expensiveHandlerCount: 2, isExpensiveCall: (method) => method === 'getContentSummary' });
    opened.servers.push(srv);
    srv.register(CLIENT_PROTOCOL, 'getContentSummary', protoHandler(hdfs.GetContentSummaryRequestProto, hdfs.GetContentSummaryResponseProto, async () => {
      running++;
      peak = Math.max(peak, running);
      await sleep(100);
      running--;
      return { summary: { length: 0, fileCount: 0, directoryCount: 1, quota: -1, spaceConsumed: 0, spaceQuota: -1 } };
    }));
    srv.register(CLIENT_PROTOCOL, 'getFileInfo', protoHandler(hdfs.GetFileInfoRequestProto, hdfs.GetFileInfoResponseProto, async () => ({})));
    const { port } = await srv.listen(0, '127.0.0.1');
    const heavy = await client(port);
    const light = await client(port);
    const summaries = Array.from({ length: 20 }, () => heavy.call('getContentSummary', hdfs.GetContentSummaryRequestProto, { path: '/' }, hdfs.GetContentSummaryResponseProto));
    await until('expensive calls to queue', () => srv.stats().queuedCalls > 0);
    // Cheap calls are not stuck behind the 18 waiting summaries.
    await stat(light);
    expect(srv.stats().queuedCalls).toBeGreaterThan(10);
    await Promise.all(summaries);
    expect(peak).toBe(2);
  });
});
