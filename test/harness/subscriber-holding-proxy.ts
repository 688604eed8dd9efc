import { connect, createServer, type Socket } from 'node:net';

/**
 * A TCP hop in front of Redis that can hold back what Redis sends to the
 * subscriber connections through it (those that sent SUBSCRIBE), while
 * every other connection, and what subscribers send, flows: a namenode
 * whose invalidations are late while its lease renewals are answered.
 */
export interface SubscriberHoldingProxy {
  readonly url: string;
  /** From now on, what Redis sends to a subscriber is kept back. */
  hold(): void;
  /** Delivers what was kept back, and flows again. */
  release(): void;
  close(): Promise<void>;
}

export async function subscriberHoldingProxy(targetPort: number): Promise<SubscriberHoldingProxy> {
  const sockets = new Set<Socket>();
  const flushes = new Set<() => void>();
  let held = false;
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    let subscriber = false;
    const kept: Buffer[] = [];
    const flush = () => {
      for (const b of kept.splice(0)) client.write(b);
    };
    flushes.add(flush);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', (b: Buffer) => {
      if (/subscribe/i.test(b.toString('latin1'))) subscriber = true;
      upstream.write(b);
    });
    upstream.on('data', (b: Buffer) => {
      if (held && subscriber) kept.push(b);
      else client.write(b);
    });
    client.on('close', () => {
      flushes.delete(flush);
      upstream.destroy();
    });
    upstream.on('close', () => client.destroy());
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    hold: () => {
      held = true;
    },
    release: () => {
      held = false;
      for (const f of flushes) f();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
