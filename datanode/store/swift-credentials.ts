import { readFileSync } from 'node:fs';

/**
 * How a Swift store authenticates. TempAuth (Swift's own, v1: user + key
 * against `/auth/v1.0`) for small sites and tests; Keystone v3 password
 * auth (`auth: "keystone-v3-password"`) for OpenStack sites. Secrets come from a file
 * (mode 0600, JSON) or the environment, never from the command line, where
 * `ps` would show them to every user of the machine.
 */
export type SwiftCredentials = TempAuthCredentials | KeystonePasswordCredentials | KeystoneApplicationCredentials;

export interface TempAuthCredentials {
  readonly auth: 'tempauth';
  /** e.g. http://127.0.0.1:8080/auth/v1.0 */
  readonly authUrl: string;
  readonly user: string;
  readonly key: string;
}

/** Keystone v3 password auth, scoped to a project; Swift's URL comes from the token's service catalog. */
export interface KeystonePasswordCredentials {
  readonly auth: 'keystone-v3-password';
  /** e.g. http://127.0.0.1:5000/v3 */
  readonly authUrl: string;
  readonly user: string;
  readonly password: string;
  readonly userDomain: string;
  readonly project: string;
  readonly projectDomain: string;
  /** The catalog's region to take the object-store endpoint from (the first one when unset). */
  readonly region?: string;
}

/**
 * Keystone v3 application-credential auth (`auth: "keystone-v3-application-credential"`): by the
 * credential's id and secret, or by its name and secret plus its owner (user name in `userDomain`,
 * or user id). The token is scoped to the project the credential was made in; Swift's URL comes
 * from the token's catalog as for password auth.
 */
export type KeystoneApplicationCredentials = {
  readonly auth: 'keystone-v3-application-credential';
  readonly authUrl: string;
  readonly secret: string;
  readonly region?: string;
} & ({ readonly id: string } | { readonly name: string; readonly user: { readonly name: string; readonly domain: string } | { readonly id: string } });

/** Environment variables read when no credentials file is given. */
export const SWIFT_ENV = { authUrl: 'NNFLEET_SWIFT_AUTH_URL', user: 'NNFLEET_SWIFT_USER', key: 'NNFLEET_SWIFT_KEY' } as const;

const MAX_FILE_BYTES = 64 * 1024;

/** Reads `{"auth":"tempauth","authUrl":…,"user":…,"key":…}` from `file`, or the NNFLEET_SWIFT_* variables without one. */
export function loadSwiftCredentials(file: string | undefined, env: NodeJS.ProcessEnv = process.env): SwiftCredentials {
  const raw: Record<string, unknown> = file !== undefined ? parseFile(file) : { auth: 'tempauth', authUrl: env[SWIFT_ENV.authUrl], user: env[SWIFT_ENV.user], key: env[SWIFT_ENV.key] };
  const where = file ?? `the environment (${Object.values(SWIFT_ENV).join(', ')})`;
  const text = (name: string): string => {
    const v = raw[name];
    if (typeof v !== 'string' || v === '') throw new Error(`Swift credentials in ${where}: "${name}" is missing`);
    return v;
  };
  const auth = raw['auth'] ?? 'tempauth';
  const authUrl = text('authUrl');
  if (!/^https?:\/\//.test(authUrl)) throw new Error(`Swift credentials in ${where}: authUrl must be an http(s) URL`);
  if (auth === 'tempauth') return { auth, authUrl, user: text('user'), key: text('key') };
  if (auth === 'keystone-v3-password') {
    const optional = (name: string, fallback: string): string => (typeof raw[name] === 'string' && raw[name] !== '' ? (raw[name] as string) : fallback);
    const region = typeof raw['region'] === 'string' && raw['region'] !== '' ? { region: raw['region'] } : {};
    return {
      auth,
      authUrl,
      user: text('user'),
      password: text('password'),
      userDomain: optional('userDomain', 'Default'),
      project: text('project'),
      projectDomain: optional('projectDomain', 'Default'),
      ...region,
    };
  }
  if (auth === 'keystone-v3-application-credential') return applicationCredentials(raw, authUrl, text, where);
  throw new Error(`Swift credentials in ${where}: auth "${String(auth)}" is not supported (tempauth, keystone-v3-password, keystone-v3-application-credential)`);
}

/** `applicationCredentialId` + `applicationCredentialSecret`, or `applicationCredentialName` + secret + `user` (+ `userDomain`) or `userId`. */
function applicationCredentials(raw: Record<string, unknown>, authUrl: string, text: (name: string) => string, where: string): KeystoneApplicationCredentials {
  const given = (name: string): string | undefined => (typeof raw[name] === 'string' && raw[name] !== '' ? (raw[name] as string) : undefined);
  const base = { auth: 'keystone-v3-application-credential' as const, authUrl, secret: text('applicationCredentialSecret'), ...(given('region') !== undefined ? { region: given('region') as string } : {}) };
  const id = given('applicationCredentialId');
  if (id !== undefined) return { ...base, id };
  const name = given('applicationCredentialName');
  if (name === undefined) throw new Error(`Swift credentials in ${where}: "applicationCredentialId" or "applicationCredentialName" is missing`);
  const userId = given('userId');
  if (userId !== undefined) return { ...base, name, user: { id: userId } };
  if (given('user') === undefined) throw new Error(`Swift credentials in ${where}: "applicationCredentialName" needs "user" (with "userDomain") or "userId"`);
  return { ...base, name, user: { name: text('user'), domain: given('userDomain') ?? 'Default' } };
}

function parseFile(file: string): Record<string, unknown> {
  const buf = readFileSync(file);
  if (buf.length > MAX_FILE_BYTES) throw new Error(`Swift credentials file ${file} is larger than ${MAX_FILE_BYTES} bytes`);
  const parsed: unknown = JSON.parse(buf.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`Swift credentials file ${file} is not a JSON object`);
  return parsed as Record<string, unknown>;
}
