import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { listenHttp } from '../../protocol/webhdfs/http-listener';
import type { HealthState } from './health-probe';
import { healthRoute } from './health-route';
import { matchRoute, sendText, type HttpRoute } from './http-route';
import type { NamenodeMetrics } from './metrics';
import { metricsRoute } from './metrics-route';

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port; the bound one is returned. */
  port: number;
  logger: Logger;
  /** The database's health as last checked in the background (HealthProbe). */
  health: { current(): HealthState };
  metrics: NamenodeMetrics;
  /** Front doors served beside /healthz and /metrics (WebHDFS, the web UI). */
  routes?: readonly HttpRoute[];
}

export interface RunningHttpServer {
  readonly port: number;
  close(): Promise<void>;
}

export function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  const routes: HttpRoute[] = [
    healthRoute(opts.health),
    metricsRoute(opts.metrics.registry),
    ...(opts.routes ?? []),
  ];
  const server = createServer((req, res) => void dispatch(routes, req, res, opts.logger));

  return listenHttp(server, opts.host, opts.port, (err) => opts.logger.error({ err }, 'http server error'));
}

async function dispatch(routes: readonly HttpRoute[], req: IncomingMessage, res: ServerResponse, logger: Logger): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://namenode');
  const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
  if (match === undefined) return sendText(res, 404, `no such resource: ${url.pathname}\n`);
  if ('allowed' in match) {
    res.setHeader('Allow', match.allowed.join(', '));
    return sendText(res, 405, `method ${req.method} not allowed on ${url.pathname}\n`);
  }
  try {
    await match.route.handle(req, res, url);
  } catch (err) {
    logger.error({ err, path: url.pathname }, 'http handler failed');
    if (!res.headersSent) sendText(res, 500, 'internal error\n');
    else res.destroy();
  }
}
