import { readFileSync } from 'node:fs';

/**
 * How a Swift store authenticates. TempAuth (Swift's own, v1: user + key
 * against `/auth/v1.0`) for small sites and tests. Secrets come from a file
 * (mode 0600, JSON) or the environment, never from the command line, where
 * `ps` would show them to every user of the machine.
 */
export interface SwiftCredentials {
  readonly auth: 'tempauth';
  /** e.g. http://127.0.0.1:8080/auth/v1.0 */
  readonly authUrl: string;
  readonly user: string;
  readonly key: string;
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
  if (auth !== 'tempauth') throw new Error(`Swift credentials in ${where}: auth "${String(auth)}" is not supported (tempauth)`);
  const authUrl = text('authUrl');
  if (!/^https?:\/\//.test(authUrl)) throw new Error(`Swift credentials in ${where}: authUrl must be an http(s) URL`);
  return { auth, authUrl, user: text('user'), key: text('key') };
}

function parseFile(file: string): Record<string, unknown> {
  const buf = readFileSync(file);
  if (buf.length > MAX_FILE_BYTES) throw new Error(`Swift credentials file ${file} is larger than ${MAX_FILE_BYTES} bytes`);
  const parsed: unknown = JSON.parse(buf.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`Swift credentials file ${file} is not a JSON object`);
  return parsed as Record<string, unknown>;
}
