import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListeningHttpServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Binds an HTTP server (a namenode's web port, a datanode's WebHDFS port)
 * and resolves once it listens; errors after that go to `onError`.
 * Closing drops kept-alive connections too (haproxy, browsers and Java's
 * HttpURLConnection keep them), which close alone would wait for.
 */
export function listenHttp(server: Server, host: string, port: number, onError: (err: Error) => void): Promise<ListeningHttpServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      server.on('error', onError);
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
