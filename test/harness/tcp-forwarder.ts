import { connect, createServer, type Server, type Socket } from 'node:net';

/** A TCP hop a test can cut: every connection through it, and new ones, fail until it is restored. */
export interface TcpForwarder {
  readonly port: number;
  /** Closes every connection through it and refuses new ones. */
  cut(): Promise<void>;
  /** Accepts again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Forwards 127.0.0.1:<free port> to `target`. */
export async function tcpForwarder(targetHost: string, targetPort: number): Promise<TcpForwarder> {
  const sockets = new Set<Socket>();
  const serve = (): Server =>
    createServer((client) => {
      const upstream = connect(targetPort, targetHost);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
  const listen = (server: Server, port: number) => new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  let server: Server | undefined = serve();
  const port = await listen(server, 0);
  const cut = async () => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.destroy();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  return {
    port,
    cut,
    restore: async () => {
      if (server) return;
      server = serve();
      await listen(server, port);
    },
    close: cut,
  };
}
