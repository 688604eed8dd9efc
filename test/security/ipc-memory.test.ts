import type { Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { IpcConnectionError, RemoteError } from '../../protocol/ipc/ipc-errors';
import type { IpcServer } from '../../protocol/ipc/server';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { handshakeBytes, openRaw, until } from '../protocol/ipc-raw-peers';
import { sleep, startTestServer } from '../protocol/ipc-test-service';

const hdfs = hadoop.hdfs;
const MiB = 1024 * 1024;
const KiB = 1024;

const opened: { servers: IpcServer[]; sockets: Socket[]; clients: IpcClient[] } = { servers: [], sockets: [], clients: [] };

afterEach(async () => {
  for (const s of opened.sockets.splice(0)) s.destroy();
  await Promise.all(opened.clients.splice(0).map((c) => c.close()));
  await Promise.all(opened.servers.splice(0).map((s) => s.close()));
});

async function client(port: number): Promise<IpcClient> {
  const c = await IpcClient.connect({ host: '127.0.0.1', port, user: 'alice', protocolName: CLIENT_PROTOCOL });
  opened.clients.push(c);
  return c;
}

function stat(c: IpcClient, src = '/'): Promise<hadoop.hdfs.GetFileInfoResponseProto> {
  return c.call('getFileInfo', hdfs.GetFileInfoRequestProto, { src }, hdfs.GetFileInfoResponseProto);
}

describe('IPC server memory budget for incomplete frames', () => {
  it('many connections each sending half of a large frame slowly never hold more than the budget; a well-behaved client keeps getting answers', async () => {
    const budget = 8 * MiB;
    const { server, port } = await startTestServer({ maxFrameBytes: 4 * MiB, maxBufferedBytes: budget });
    opened.servers.push(server);
    const good = await client(port);
    const hogs = 24;
    const sending = Array.from({ length: hogs }, async () => {
      const socket = await openRaw(port);
      opened.sockets.push(socket);
      const header = Buffer.alloc(4);
      header.writeUInt32BE(2 * MiB);
      socket.write(Buffer.concat([handshakeBytes(), header]));
      // Half of the 2 MiB frame, 64 KiB at a time: 24 MiB offered in all, three times the budget.
      for (let sent = 0; sent < MiB && !socket.destroyed; sent += 64 * KiB) {
        socket.write(Buffer.alloc(64 * KiB, 0x41));
        await sleep(5);
      }
    });
    let peakSeen = 0;
    let pausedSeen = 0;
    let answers = 0;
    const done = Promise.all(sending);
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished || answers < 20) {
      expect((await stat(good)).fs?.owner).toBe('alice');
      answers++;
      const stats = server.stats();
      peakSeen = Math.max(peakSeen, stats.partialFrameBytes);
      pausedSeen = Math.max(pausedSeen, stats.pausedConnections);
    }
    await until('the budget to fill', () => server.stats().partialFrameBytes > budget - 64 * KiB);
    const stats = server.stats();
    expect(peakSeen).toBeLessThanOrEqual(budget);
    expect(stats.partialFramePeakBytes).toBeLessThanOrEqual(budget);
    // The budget was the limit that bit: offered bytes are left unread by paused connections.
    expect(stats.pausedConnections).toBeGreaterThan(0);
    expect((await stat(good)).fs?.owner).toBe('alice');
    process.stdout.write(`ipc-memory: ${hogs} half-frame senders, budget ${budget} B, peak held ${stats.partialFramePeakBytes} B, ${stats.pausedConnections} paused, ${stats.budgetEvictions} evicted, ${stats.connections} connections, good client answered ${answers} calls meanwhile\n`);
  });

  it('cannot deadlock: when every holder waits, the largest is closed and the other frame completes', async () => {
    const { server, port } = await startTestServer({ maxFrameBytes: 2 * MiB, maxBufferedBytes: 3 * MiB });
    opened.servers.push(server);
    const a = await client(port);
    const b = await client(port);
    // Two frames just under 2 MiB each: together more than the 3 MiB budget.
    const big = (c: string) => `/${c.repeat(2 * MiB - 4 * KiB)}`;
    const outcomes = await Promise.all([stat(a, big('a')), stat(b, big('b'))].map((p) => p.then(() => 'ok', (err: unknown) => err)));
    // The test service knows no such file: an answer means the whole frame was read.
    const answered = outcomes.filter((o) => o instanceof RemoteError && o.className === 'java.io.FileNotFoundException');
    expect(answered.length).toBeGreaterThanOrEqual(1);
    for (const o of outcomes) expect(o instanceof RemoteError || o instanceof IpcConnectionError).toBe(true);
    expect(answered.length + server.stats().budgetEvictions).toBe(2);
    expect(server.stats().partialFramePeakBytes).toBeLessThanOrEqual(3 * MiB);
    expect(server.stats().partialFrameBytes).toBe(0);
  });
});
