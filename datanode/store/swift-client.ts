import { createHash } from 'node:crypto';
import http, { type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import type { SwiftCredentials } from './swift-credentials';
import { keystoneApplicationCredentialRequest, keystonePasswordRequest, parseKeystoneToken } from './swift-keystone';

/** A Swift request that failed: `status` 0 when no answer came (refused, reset, timed out). */
export class SwiftError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'SwiftError';
  }
}

export interface SwiftClientOptions {
  /** A request with no progress (connect, bytes sent or received) for this long fails. */
  readonly idleTimeoutMs: number;
}

export interface SwiftListing {
  readonly name: string;
  readonly bytes: number;
  /** From the listing's `last_modified` (UTC, no zone suffix); NaN when absent. */
  readonly lastModifiedMs: number;
}

export interface SloSegment {
  readonly path: string;
  readonly etag: string;
  readonly sizeBytes: number;
}

interface Session {
  readonly token: string;
  readonly storageUrl: string;
  /** When the token expires (Keystone says; TempAuth does not): it is replaced a minute before. */
  readonly expiresAt?: number;
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

interface RequestSpec {
  readonly method: string;
  /** Below the storage URL, already escaped: `/container/object?query`. */
  readonly path: string;
  readonly headers?: OutgoingHttpHeaders;
  /** A fresh body stream per attempt (a 401 retries with a new token). */
  readonly body?: () => Readable | Buffer;
  /** Answers with more body than this fail: nothing Swift sends is read unbounded. */
  readonly maxBody: number;
}

const SMALL_BODY = 64 * 1024;
/** A Keystone token answer carries the service catalog. */
const KEYSTONE_BODY = 1024 * 1024;
/** A Keystone token is replaced this long before it expires. */
const REFRESH_BEFORE_MS = 60_000;
/** Container listings: at most this many names a page. */
export const LIST_PAGE = 1000;

/**
 * A small Swift API client over node's http (no dependency: the calls are
 * few and plain — PUT streamed from a file with Content-Length, ranged GET,
 * HEAD, DELETE, JSON listings). TempAuth v1 or Keystone v3 (the storage
 * URL from the catalog; the token replaced a minute before it expires); the
 * token is cached and the request retried once with a new one on 401. Every answer's body
 * is bounded, every request times out when it stalls.
 */
export class SwiftClient {
  readonly #creds: SwiftCredentials;
  readonly #opts: SwiftClientOptions;
  #session: Promise<Session> | undefined;
  #expiresAt: number | undefined;
  readonly #agents = { http: new http.Agent({ keepAlive: true, maxSockets: 32 }), https: new https.Agent({ keepAlive: true, maxSockets: 32 }) };

  constructor(creds: SwiftCredentials, opts: SwiftClientOptions) {
    this.#creds = creds;
    this.#opts = opts;
  }

  async ensureContainer(container: string): Promise<void> {
    const a = await this.#call({ method: 'PUT', path: `/${enc(container)}`, maxBody: SMALL_BODY });
    if (a.status !== 201 && a.status !== 202) throw statusError('PUT container', container, a);
  }

  /**
   * Uploads `size` bytes streamed from `body()`, hashing them on the way;
   * resolves with the MD5 only when Swift's ETag is the same digest (it
   * hashed what it stored), so a replica is never reported finalized on an
   * object that differs from the staged bytes.
   */
  async putObject(container: string, name: string, size: number, body: () => Readable, headers: OutgoingHttpHeaders = {}): Promise<string> {
    let md5 = '';
    const a = await this.#call({
      method: 'PUT',
      path: `/${enc(container)}/${enc(name)}`,
      headers: { ...headers, 'content-length': String(size) },
      body: () => {
        const hash = createHash('md5');
        const stream = body();
        stream.on('data', (chunk: Buffer) => hash.update(chunk));
        stream.on('end', () => (md5 = hash.digest('hex')));
        return stream;
      },
      maxBody: SMALL_BODY,
    });
    if (a.status !== 201) throw statusError('PUT', name, a);
    const etag = String(a.headers['etag'] ?? '').replace(/"/g, '');
    if (etag !== md5) throw new SwiftError(`PUT ${name}: ETag ${etag} is not the MD5 ${md5} of the bytes sent`, a.status);
    return md5;
  }

  /** A Static Large Object manifest over uploaded segments (Swift checks each segment's ETag and size). */
  async putManifest(container: string, name: string, segments: readonly SloSegment[], headers: OutgoingHttpHeaders = {}): Promise<void> {
    const manifest = Buffer.from(JSON.stringify(segments.map((s) => ({ path: s.path, etag: s.etag, size_bytes: s.sizeBytes }))));
    const a = await this.#call({
      method: 'PUT',
      path: `/${enc(container)}/${enc(name)}?multipart-manifest=put`,
      headers: { ...headers, 'content-length': String(manifest.length), 'content-type': 'application/json' },
      body: () => manifest,
      maxBody: SMALL_BODY,
    });
    if (a.status !== 201) throw statusError('PUT manifest', name, a);
  }

  /** Bytes [start, end) of an object (a ranged GET); fewer only when the object is shorter. */
  async getRange(container: string, name: string, start: number, end: number): Promise<Buffer> {
    if (end <= start) return Buffer.alloc(0);
    const a = await this.#call({ method: 'GET', path: `/${enc(container)}/${enc(name)}`, headers: { range: `bytes=${start}-${end - 1}` }, maxBody: end - start });
    if (a.status !== 206 && a.status !== 200) throw statusError('GET', name, a);
    // A 200 answers the whole object (Swift ignores a range it cannot satisfy); only a short object does that here.
    return a.status === 206 ? a.body : a.body.subarray(start, end);
  }

  /** The object's headers, or undefined when it does not exist. */
  async head(container: string, name: string): Promise<IncomingMessage['headers'] | undefined> {
    const a = await this.#call({ method: 'HEAD', path: `/${enc(container)}/${enc(name)}`, maxBody: 0 });
    if (a.status === 404) return undefined;
    if (a.status !== 200) throw statusError('HEAD', name, a);
    return a.headers;
  }

  /** Deletes an object (with its segments when it is an SLO manifest); false when it was not there. */
  async delete(container: string, name: string, manifest = false): Promise<boolean> {
    const a = await this.#call({ method: 'DELETE', path: `/${enc(container)}/${enc(name)}${manifest ? '?multipart-manifest=delete' : ''}`, maxBody: SMALL_BODY });
    if (a.status === 404) return false;
    if (a.status !== 204 && a.status !== 200) throw statusError('DELETE', name, a);
    return true;
  }

  /** One page of the container's listing after `marker` (names sorted), limited to `prefix`. */
  async list(container: string, prefix: string, marker = ''): Promise<SwiftListing[]> {
    const q = new URLSearchParams({ format: 'json', prefix, marker, limit: String(LIST_PAGE) });
    const a = await this.#call({ method: 'GET', path: `/${enc(container)}?${q.toString()}`, maxBody: LIST_PAGE * 1024 });
    if (a.status === 204 || a.status === 404) return [];
    if (a.status !== 200) throw statusError('GET listing', container, a);
    const rows: unknown = JSON.parse(a.body.toString('utf8'));
    if (!Array.isArray(rows)) throw new SwiftError(`listing of ${container} is not a JSON array`, a.status);
    return rows.flatMap((r: unknown) => {
      const o = r as { name?: unknown; bytes?: unknown; last_modified?: unknown };
      const lastModifiedMs = typeof o.last_modified === 'string' ? Date.parse(`${o.last_modified}Z`) : NaN;
      return typeof o.name === 'string' && typeof o.bytes === 'number' ? [{ name: o.name, bytes: o.bytes, lastModifiedMs }] : [];
    });
  }

  close(): void {
    this.#agents.http.destroy();
    this.#agents.https.destroy();
  }

  async #call(spec: RequestSpec): Promise<Answer> {
    const pending = this.#login();
    const a = await this.#send(await pending, spec);
    if (a.status !== 401) return a;
    // The token expired (or memcached forgot it): one new login, one retry.
    if (this.#session === pending) this.#session = undefined;
    return this.#send(await this.#login(), spec);
  }

  #login(): Promise<Session> {
    if (this.#expiresAt !== undefined && Date.now() > this.#expiresAt - REFRESH_BEFORE_MS) {
      this.#session = undefined;
      this.#expiresAt = undefined;
    }
    if (!this.#session) {
      const attempt = this.#authenticate();
      this.#session = attempt;
      attempt.then(
        (session) => {
          if (this.#session === attempt) this.#expiresAt = session.expiresAt;
        },
        () => {
          if (this.#session === attempt) this.#session = undefined;
        },
      );
    }
    return this.#session;
  }

  async #authenticate(): Promise<Session> {
    const creds = this.#creds;
    const url = new URL(creds.authUrl);
    if (creds.auth !== 'tempauth') {
      const body = creds.auth === 'keystone-v3-password' ? keystonePasswordRequest(creds) : keystoneApplicationCredentialRequest(creds);
      const a = await this.#raw(url, {
        method: 'POST',
        path: '/auth/tokens',
        headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
        body: () => body,
        maxBody: KEYSTONE_BODY,
      });
      const token = a.headers['x-subject-token'];
      if (a.status !== 201 || typeof token !== 'string') throw new SwiftError(`Keystone authentication at ${url.origin}${url.pathname} failed: HTTP ${a.status}`, a.status);
      const { storageUrl, expiresAt } = parseKeystoneToken(a.body, creds.region);
      return { token, storageUrl, expiresAt };
    }
    const a = await this.#raw(url, { method: 'GET', path: '', headers: { 'x-auth-user': creds.user, 'x-auth-key': creds.key }, maxBody: SMALL_BODY });
    const token = a.headers['x-auth-token'];
    const storageUrl = a.headers['x-storage-url'];
    if (a.status < 200 || a.status > 299 || typeof token !== 'string' || typeof storageUrl !== 'string') {
      throw new SwiftError(`Swift authentication at ${url.origin}${url.pathname} failed: HTTP ${a.status}`, a.status);
    }
    return { token, storageUrl };
  }

  #send(session: Session, spec: RequestSpec): Promise<Answer> {
    return this.#raw(new URL(session.storageUrl), { ...spec, headers: { ...spec.headers, 'x-auth-token': session.token } });
  }

  /** One HTTP exchange to `base` + spec.path. */
  #raw(base: URL, spec: RequestSpec): Promise<Answer> {
    const url = new URL(base.pathname.replace(/\/$/, '') + spec.path, base);
    const secure = url.protocol === 'https:';
    return new Promise<Answer>((resolve, reject) => {
      const fail = (why: string): void => reject(new SwiftError(`Swift ${spec.method} ${url.pathname}: ${why}`, 0));
      const req = (secure ? https : http).request(
        url,
        { method: spec.method, headers: spec.headers ?? {}, agent: secure ? this.#agents.https : this.#agents.http },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > spec.maxBody) {
              req.destroy();
              fail(`answer longer than ${spec.maxBody} bytes`);
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', (err) => fail(err.message));
        },
      );
      req.setTimeout(this.#opts.idleTimeoutMs, () => {
        req.destroy();
        fail(`no progress for ${this.#opts.idleTimeoutMs} ms`);
      });
      req.on('error', (err) => fail(err.message));
      const body = spec.body?.();
      if (body === undefined) req.end();
      else if (Buffer.isBuffer(body)) req.end(body);
      else {
        body.on('error', (err) => {
          req.destroy();
          fail(`reading the upload: ${err.message}`);
        });
        body.pipe(req);
      }
    });
  }
}

function statusError(what: string, name: string, a: Answer): SwiftError {
  return new SwiftError(`Swift ${what} ${name}: HTTP ${a.status} ${a.body.subarray(0, 200).toString('utf8').trim()}`, a.status);
}

/** Object and container names in a path: every segment escaped, slashes kept. */
function enc(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}
