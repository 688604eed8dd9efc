import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { packageRoot } from './package-root';

export interface UiAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * The web UI's files (plain HTML, CSS and JS, no CDN: the machines are
 * offline), read once at start: from the package's sources when they are
 * there (so a rebuilt dist/ never serves a stale copy), else from the copy
 * `npm run build` puts beside the compiled code. Served by name from this
 * table only, so no request path ever reaches the file system.
 */
export function loadUiAssets(): ReadonlyMap<string, UiAsset> {
  const sources = join(packageRoot(), 'namenode', 'http', 'ui', 'assets');
  const dir = existsSync(sources) ? sources : join(__dirname, 'assets');
  const assets = new Map<string, UiAsset>();
  for (const name of readdirSync(dir).sort()) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (contentType) assets.set(name, { contentType, body: readFileSync(join(dir, name)) });
  }
  if (!assets.has('index.html')) throw new Error(`web UI assets missing: no index.html in ${dir}`);
  return assets;
}
