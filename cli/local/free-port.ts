import { createServer } from 'node:net';

/**
 * A loopback TCP port free right now. Another process may take it before the
 * caller binds it; callers that can tell a bind failure retry with a new one.
 */
export function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not determine a free port'));
      });
    });
  });
}
