import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { userInfo } from 'node:os';
import { hadoop } from '../../protocol/generated/hadoop';
import { startNamenodeProcess, type NamenodeProcess } from '../harness/namenode-process';
import { RetryingClient } from '../harness/retrying-client';
import { createTestDatabase, type TestDatabase } from '../harness/test-database';
import { getFileInfoFrame, handshakeBytes, openRaw } from '../protocol/ipc-raw-peers';

const H = hadoop.hdfs;
const USER = userInfo().username;
const IDLE = 2000;
const NON_READERS = 200;
const CALLS_PER_NON_READER = 1000;
const SAMPLES = 200;
// All peers are on loopback, one address: the per-address limit (default 2,048) is raised so the flood gets in.
const PER_ADDRESS = IDLE + NON_READERS + 100;

function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (m === null) throw new Error(`no VmRSS for ${pid}`);
  return Math.round(Number(m[1]) / 1024);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

/** Times `SAMPLES` getFileInfo calls; every one must succeed (busy answers are retried, as Hadoop clients do). */
async function sample(client: RetryingClient): Promise<{ p50: number; p99: number; retried: number }> {
  const retriedBefore = client.retriedCalls;
  const ms: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    const { response } = await client.call('getFileInfo', H.GetFileInfoRequestProto, { src: '/' }, H.GetFileInfoResponseProto);
    ms.push(performance.now() - started);
    expect(response.fs?.fileType).toBe(H.HdfsFileStatusProto.FileType.IS_DIR);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 0.5), p99: percentile(ms, 0.99), retried: client.retriedCalls - retriedBefore };
}

async function openMany(port: number, count: number, setup: (socket: Socket) => void): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let start = 0; start < count; start += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, count - start) }, () => openRaw(port)));
    for (const socket of batch) setup(socket);
    sockets.push(...batch);
  }
  return sockets;
}

describe('IPC flood against a real namenode', () => {
  let db: TestDatabase;
  let nn: NamenodeProcess;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('flood');
    nn = await startNamenodeProcess(db.config, ['--superuser', USER, '-D', `ipcServerMaxConnectionsPerAddress=${PER_ADDRESS}`]);
  }, 60_000);

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await nn?.stop();
    await db?.drop();
  });

  it(`${IDLE} idle connections and ${NON_READERS} that never read: a well-behaved client keeps working, memory stays bounded`, async () => {
    const good = new RetryingClient('127.0.0.1', nn.rpcPort, USER);
    await sample(good);
    const before = await sample(good);
    const rssBefore = rssMiB(nn.pid);

    sockets.push(...(await openMany(nn.rpcPort, IDLE, (s) => s.write(handshakeBytes()))));
    const calls = Buffer.concat(Array.from({ length: CALLS_PER_NON_READER }, (_, i) => getFileInfoFrame(i)));
    sockets.push(
      ...(await openMany(nn.rpcPort, NON_READERS, (s) => {
        s.pause();
        s.write(Buffer.concat([handshakeBytes(), calls]));
      })),
    );
    const during = await sample(good);
    const rssDuring = rssMiB(nn.pid);
    const stillOpen = sockets.filter((s) => !s.destroyed).length;

    expect(nn.run.child.exitCode).toBeNull();
    expect(rssDuring).toBeLessThan(rssBefore + 512);
    process.stdout.write(
      `ipc flood: ${IDLE} idle + ${NON_READERS} non-readers x ${CALLS_PER_NON_READER} calls (${stillOpen} of ${sockets.length} still open); ` +
        `good client p50/p99 before ${before.p50.toFixed(2)}/${before.p99.toFixed(2)} ms, during ${during.p50.toFixed(2)}/${during.p99.toFixed(2)} ms ` +
        `(${during.retried} of ${SAMPLES} calls retried after "Server too busy"); namenode VmRSS ${rssBefore} MiB before, ${rssDuring} MiB during\n`,
    );
    good.close();
  }, 180_000);
});
