import type { KeystoneApplicationCredentials, KeystonePasswordCredentials } from './swift-credentials';

/** The body of Keystone v3's `POST /v3/auth/tokens` for password auth scoped to a project. */
export function keystonePasswordRequest(c: KeystonePasswordCredentials): Buffer {
  return Buffer.from(
    JSON.stringify({
      auth: {
        identity: { methods: ['password'], password: { user: { name: c.user, domain: { name: c.userDomain }, password: c.password } } },
        scope: { project: { name: c.project, domain: { name: c.projectDomain } } },
      },
    }),
  );
}

/**
 * The body of `POST /v3/auth/tokens` for an application credential. No scope: Keystone scopes
 * the token to the credential's project (and refuses a request naming another).
 */
export function keystoneApplicationCredentialRequest(c: KeystoneApplicationCredentials): Buffer {
  const credential =
    'id' in c ? { id: c.id, secret: c.secret } : { name: c.name, secret: c.secret, user: 'id' in c.user ? { id: c.user.id } : { name: c.user.name, domain: { name: c.user.domain } } };
  return Buffer.from(JSON.stringify({ auth: { identity: { methods: ['application_credential'], application_credential: credential } } }));
}

export interface KeystoneToken {
  /** The object-store endpoint's public URL (the account's storage URL). */
  readonly storageUrl: string;
  /** ms since the epoch. */
  readonly expiresAt: number;
}

interface CatalogEntry {
  readonly type?: unknown;
  readonly endpoints?: readonly { readonly interface?: unknown; readonly region?: unknown; readonly region_id?: unknown; readonly url?: unknown }[];
}

/** The token's expiry and the catalog's public object-store endpoint (in `region` when given); throws when there is none. */
export function parseKeystoneToken(body: Buffer, region: string | undefined): KeystoneToken {
  const parsed = JSON.parse(body.toString('utf8')) as { token?: { expires_at?: unknown; catalog?: readonly CatalogEntry[] } };
  const token = parsed.token;
  const expiresAt = typeof token?.expires_at === 'string' ? Date.parse(token.expires_at) : NaN;
  if (!Number.isFinite(expiresAt)) throw new Error('Keystone token without a valid expires_at');
  for (const service of token?.catalog ?? []) {
    if (service.type !== 'object-store') continue;
    for (const e of service.endpoints ?? []) {
      if (e.interface !== 'public' || typeof e.url !== 'string') continue;
      if (region !== undefined && e.region_id !== region && e.region !== region) continue;
      return { storageUrl: e.url, expiresAt };
    }
  }
  throw new Error(`Keystone catalog has no public object-store endpoint${region !== undefined ? ` in region ${region}` : ''}`);
}
