import type { ServerResponse } from 'node:http';
import type { HttpRoute } from '../http-route';
import { sendText } from '../http-route';
import type { CallTotal } from '../metrics';
import { sendJson } from '../webhdfs/remote-exception';
import type { FleetView } from './fleet-view';
import { jmxRoute } from './jmx-route';
import { BadUiRequest } from './query-params';
import { loadUiAssets, type UiAsset } from './ui-assets';
import { UI_API_PREFIX, uiApiResource, uiApiResources } from './ui-api';

/**
 * Scripts and styles from this origin only; fetches also to the datanodes
 * (an upload's bytes go to the one the namenode names, wherever it is);
 * the page is never framed (Hadoop's X-FRAME-OPTIONS).
 */
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; connect-src 'self' http: https:; img-src 'self' data:; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-cache',
};

export interface UiRoutesOptions {
  readonly view: FleetView;
  readonly calls: () => Promise<CallTotal[]>;
  /** This namenode's host:port for HTTP, once it listens. */
  readonly httpAddress: () => string;
  readonly peerTimeoutMs?: number;
}

/**
 * The namenode web UI on its HTTP port, like HDFS's dfshealth.html: the
 * page at `/` (and `/dfshealth.html`), its files under `/ui/`, the JSON it
 * polls under `/ui/api/`, and Hadoop's `/jmx` for operators' tools.
 */
export function uiRoutes(o: UiRoutesOptions): HttpRoute[] {
  const assets = loadUiAssets();
  const resources = uiApiResources(o.view, o.calls, o.peerTimeoutMs ?? 1000);
  const index = assets.get('index.html');
  const page = (path: string): HttpRoute => ({ method: 'GET', path, handle: async (_req, res) => sendAsset(res, index) });
  return [
    page('/'),
    page('/index.html'),
    page('/dfshealth.html'),
    {
      method: 'GET',
      path: '/ui/',
      async handle(_req, res, url) {
        if (!url.pathname.startsWith(UI_API_PREFIX)) return sendAsset(res, assets.get(url.pathname.slice('/ui/'.length)));
        try {
          const resource = uiApiResource(resources, url);
          if (!resource) return sendJson(res, 404, { error: `no such resource: ${url.pathname.slice(0, 200)}` });
          sendJson(res, 200, await resource());
        } catch (err) {
          if (!(err instanceof BadUiRequest)) throw err;
          sendJson(res, 400, { error: err.message });
        }
      },
    },
    jmxRoute(o.view, o.httpAddress),
  ];
}

function sendAsset(res: ServerResponse, asset: UiAsset | undefined): void {
  if (!asset) return sendText(res, 404, 'no such file\n');
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': asset.contentType, 'Content-Length': asset.body.length });
  res.end(asset.body);
}
