import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * One entry of the namenode's HTTP route table. `/healthz` and `/metrics`
 * match exactly; front doors with their own sub-paths (WebHDFS under
 * `/webhdfs/v1/`) register a prefix.
 */
export interface HttpRoute {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Exact path, or a prefix when it ends with `/` (the root `/` alone is exact). */
  readonly path: string;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

export type RouteMatch = { readonly route: HttpRoute } | { readonly allowed: readonly string[] } | undefined;

/**
 * The route for a request; when the path exists under other methods only,
 * those methods (for a 405 with `Allow`); undefined for an unknown path.
 */
export function matchRoute(routes: readonly HttpRoute[], method: string, pathname: string): RouteMatch {
  const isPrefix = (path: string) => path.length > 1 && path.endsWith('/');
  const onPath = routes.filter((r) => (isPrefix(r.path) ? pathname.startsWith(r.path) : pathname === r.path));
  if (onPath.length === 0) return undefined;
  const route = onPath.find((r) => r.method === method);
  return route ? { route } : { allowed: [...new Set(onPath.map((r) => r.method))] };
}

export function sendText(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
