import { readFileSync } from 'node:fs';

/**
 * How a Swift store authenticates. TempAuth (Swift's own, v1: user + key
 * against `/auth/v1.0`) for small sites and tests; Keystone v3 password
 * auth (`auth: "keystone-v3-password"`) for OpenStack sites. Secrets come from a file
 * (mode 0600, JSON) or the environment, never from the command line, where
 * `ps` would show them to every user of the machine.
 */
export type SwiftCredentials = TempAuthCredentials | KeystonePasswordCredentials;

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
  throw new Error(`Swift credentials in ${where}: auth "${String(auth)}" is not supported (tempauth, keystone-v3-password)`);
}

function parseFile(file: string): Record<string, unknown> {
  const buf = readFileSync(file);
  if (buf.length > MAX_FILE_BYTES) throw new Error(`Swift credentials file ${file} is larger than ${MAX_FILE_BYTES} bytes`);
  const parsed: unknown = JSON.parse(buf.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`Swift credentials file ${file} is not a JSON object`);
  return parsed as Record<string, unknown>;
}
