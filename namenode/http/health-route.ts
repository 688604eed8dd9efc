import type { HttpRoute } from './http-route';
import { sendText } from './http-route';

/**
 * GET /healthz: 200 `ok` while the namenode can reach its database, 503 with
 * the reason otherwise. haproxy takes a namenode out of rotation on 503, so
 * a namenode that is up but cut off from the database stops getting clients.
 */
export function healthRoute(health: () => Promise<void>, timeoutMs: number): HttpRoute {
  return {
    method: 'GET',
    path: '/healthz',
    async handle(_req, res) {
      try {
        await withTimeout(health(), timeoutMs);
        sendText(res, 200, 'ok\n');
      } catch (err) {
        sendText(res, 503, `unhealthy: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    },
  };
}

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`health check did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
