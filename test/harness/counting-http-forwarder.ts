import { request, createServer, Agent } from 'node:http';

/** An HTTP hop that counts the requests it forwards (Swift's requests, when it stands in front of the proxy). */
export interface CountingHttpForwarder {
  /** e.g. http://127.0.0.1:P */
  readonly url: string;
  /** Requests forwarded since the last reset, by method ("GET", "PUT", …). */
  counts(): Record<string, number>;
  total(): number;
  reset(): void;
  close(): Promise<void>;
}

/** Forwards every request on 127.0.0.1:<free port> to http://targetHost:targetPort, unchanged. */
export async function countingHttpForwarder(targetHost: string, targetPort: number): Promise<CountingHttpForwarder> {
  let counts: Record<string, number> = {};
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    const method = req.method ?? '?';
    counts[method] = (counts[method] ?? 0) + 1;
    const up = request({ host: targetHost, port: targetPort, method, path: req.url, headers: req.headers, agent }, (upRes) => {
      // Raw headers, case kept: hadoop-openstack matches "Content-Length" case-sensitively
      // (a lower-cased one reads as length 0, which it takes for a directory).
      res.writeHead(upRes.statusCode ?? 502, upRes.rawHeaders);
      upRes.pipe(res);
    });
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    total: () => Object.values(counts).reduce((a, b) => a + b, 0),
    reset: () => {
      counts = {};
    },
    close: async () => {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
