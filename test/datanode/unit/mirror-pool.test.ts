import { createServer, type Server, type Socket } from 'node:net';
import { MirrorPool } from '../../../datanode/transfer/mirror-pool';
import type { Mirror } from '../../../datanode/transfer/mirror-connection';
import { dialMirror } from '../dtp-test-client';

let server: Server;
const accepted: Socket[] = [];
const dialled: Socket[] = [];
const pools: MirrorPool[] = [];

beforeAll(async () => {
  server = createServer((s) => accepted.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterEach(() => {
  for (const p of pools.splice(0)) p.close();
  for (const s of [...accepted.splice(0), ...dialled.splice(0)]) s.destroy();
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

async function mirror(address = 'dn-1'): Promise<Mirror> {
  const m = await dialMirror((server.address() as { port: number }).port, address);
  dialled.push(m.socket);
  return m;
}

function pool(idleMs?: number): MirrorPool {
  const p = new MirrorPool(idleMs);
  pools.push(p);
  return p;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('MirrorPool', () => {
  it('hands back a kept connection to the same address only, newest first', async () => {
    const p = pool();
    const [older, newer, other] = [await mirror('dn-1'), await mirror('dn-1'), await mirror('dn-2')];
    p.give(older);
    p.give(newer);
    p.give(other);
    expect(p.idle).toBe(3);
    expect(p.take('dn-1')).toBe(newer);
    expect(p.take('dn-1')).toBe(older);
    expect(p.take('dn-1')).toBeUndefined();
    expect(p.take('dn-3')).toBeUndefined();
    expect(p.reused).toBe(2);
  });

  it('never hands back a connection past its idle time, and closes it', async () => {
    const p = pool(100);
    const m = await mirror();
    p.give(m);
    await sleep(150);
    expect(p.take('dn-1')).toBeUndefined();
    expect(m.socket.destroyed).toBe(true);
  });

  it('closes stale connections on its sweep, without a take', async () => {
    const p = pool(50);
    const m = await mirror();
    p.give(m);
    await sleep(200);
    expect(m.socket.destroyed).toBe(true);
    expect(p.idle).toBe(0);
  });

  it('refuses a connection the peer closed, or one with unread bytes', async () => {
    const p = pool();
    const closed = await mirror();
    await sleep(20);
    accepted.at(-1)!.end();
    await new Promise((resolve) => closed.socket.once('end', resolve));
    p.give(closed);
    const chatty = await mirror();
    await sleep(20);
    accepted.at(-1)!.write('x');
    await new Promise((resolve) => chatty.socket.once('data', resolve));
    p.give(chatty);
    expect(p.idle).toBe(0);
    expect(p.take('dn-1')).toBeUndefined();
    expect(chatty.socket.destroyed).toBe(true);
  });

  it('keeps at most 32 idle connections per address', async () => {
    const p = pool();
    const ms = await Promise.all(Array.from({ length: 33 }, () => mirror()));
    for (const m of ms) p.give(m);
    expect(p.idle).toBe(32);
    expect(ms[32]!.socket.destroyed).toBe(true);
  });
});
