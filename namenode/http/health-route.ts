import type { HealthState } from './health-probe';
import type { HttpRoute } from './http-route';
import { sendText } from './http-route';

/**
 * GET /healthz: 200 `ok` while the namenode can reach its database, 503 with
 * the reason otherwise, from the background probe's last answer. haproxy
 * takes a namenode out of rotation on 503, so a namenode that is up but cut
 * off from the database stops getting clients.
 */
export function healthRoute(health: { current(): HealthState }): HttpRoute {
  return {
    method: 'GET',
    path: '/healthz',
    handle(_req, res) {
      const state = health.current();
      sendText(res, state.healthy ? 200 : 503, state.healthy ? 'ok\n' : `unhealthy: ${state.reason}\n`);
      return Promise.resolve();
    },
  };
}
