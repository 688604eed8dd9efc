import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * Keystone's v2.0 token API (`POST /v2.0/tokens` with passwordCredentials),
 * which is all Hadoop's swift:// client (hadoop-openstack's SwiftRestClient)
 * speaks, answered from a real Keystone v3 (Debian 12's keystone has no v2):
 * each v2 request becomes a v3 password authentication scoped to the v2
 * tenant, and the v2 answer carries the real token and the real
 * object-store endpoints of the v3 catalog. Nothing else is served.
 */
export interface KeystoneV2Translator {
  /** e.g. http://127.0.0.1:P/v2.0/tokens (fs.swift.service.NAME.auth.url) */
  readonly tokensUrl: string;
  /** v2 token requests answered so far. */
  requests(): number;
  close(): Promise<void>;
}

interface V2Auth {
  auth?: { passwordCredentials?: { username?: string; password?: string }; tenantName?: string };
}
interface V3Token {
  token?: {
    expires_at?: string;
    project?: { id?: string; name?: string };
    user?: { id?: string; name?: string };
    catalog?: { type?: string; name?: string; endpoints?: { interface?: string; region_id?: string; url?: string }[] }[];
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

async function translate(v3Url: string, body: string): Promise<{ status: number; json: unknown }> {
  let v2: V2Auth;
  try {
    v2 = JSON.parse(body) as V2Auth;
  } catch {
    return { status: 400, json: { error: { code: 400, message: 'not JSON' } } };
  }
  const creds = v2.auth?.passwordCredentials;
  if (!creds?.username || creds.password === undefined || !v2.auth?.tenantName) {
    return { status: 400, json: { error: { code: 400, message: 'passwordCredentials and tenantName required' } } };
  }
  const r = await fetch(`${v3Url}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: creds.username, domain: { id: 'default' }, password: creds.password } } },
        scope: { project: { name: v2.auth.tenantName, domain: { id: 'default' } } },
      },
    }),
    signal: AbortSignal.timeout(30_000),
  });
  const token = r.headers.get('x-subject-token');
  const v3 = (await r.json().catch(() => ({}))) as V3Token;
  if (r.status !== 201 || !token || !v3.token) return { status: r.status, json: { error: { code: r.status, message: `keystone v3 answered ${r.status}` } } };
  const project = { id: v3.token.project?.id ?? '', name: v3.token.project?.name ?? '', enabled: true };
  const serviceCatalog = (v3.token.catalog ?? []).map((s) => {
    // v3 lists one endpoint per interface; v2 one per region with a URL per interface.
    const regions = new Map<string, Record<string, string>>();
    for (const e of s.endpoints ?? []) {
      const region = e.region_id ?? '';
      const v2e = regions.get(region) ?? { region, tenantId: project.id };
      if (e.interface && e.url) v2e[`${e.interface}URL`] = e.url;
      regions.set(region, v2e);
    }
    return { type: s.type, name: s.name, endpoints: [...regions.values()], endpoints_links: [] };
  });
  return {
    status: 200,
    json: {
      access: {
        token: { id: token, expires: v3.token.expires_at, tenant: project },
        serviceCatalog,
        user: { id: v3.token.user?.id, name: v3.token.user?.name, roles: [] },
        metadata: {},
      },
    },
  };
}

/** Serves the v2.0 token API on 127.0.0.1:<free port> in front of the Keystone v3 at `v3Url` (…/v3). */
export async function startKeystoneV2Translator(v3Url: string): Promise<KeystoneV2Translator> {
  let answered = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const reply = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.method !== 'POST' || req.url !== '/v2.0/tokens') {
      reply(404, { error: { code: 404, message: 'only POST /v2.0/tokens' } });
      return;
    }
    readBody(req)
      .then((body) => translate(v3Url, body))
      .then(({ status, json }) => {
        answered++;
        reply(status, json);
      })
      .catch((err: unknown) => reply(502, { error: { code: 502, message: String(err) } }));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  return {
    tokensUrl: `http://127.0.0.1:${port}/v2.0/tokens`,
    requests: () => answered,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
