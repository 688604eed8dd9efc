import type { Registry } from 'prom-client';
import type { HttpRoute } from './http-route';
import { sendText } from './http-route';

/** GET /metrics: the namenode's registry in Prometheus text format. */
export function metricsRoute(registry: Registry): HttpRoute {
  return {
    method: 'GET',
    path: '/metrics',
    async handle(_req, res) {
      sendText(res, 200, await registry.metrics(), registry.contentType);
    },
  };
}
