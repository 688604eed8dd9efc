/**
 * The part of autocannon's programmatic API the WebHDFS load uses (the
 * package ships no types): one instance drives `connections` keep-alive
 * connections to one origin, asks `setupRequest` for each request and
 * reports every answer.
 */
export interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface AutocannonOptions {
  readonly url: string;
  readonly connections: number;
  /** Seconds; or `amount` requests in all. */
  readonly duration?: number;
  readonly amount?: number;
  readonly timeout?: number;
  readonly requests: readonly {
    setupRequest?: (req: AutocannonRequest) => AutocannonRequest;
    onResponse?: (status: number, body: string) => void;
  }[];
}

export interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => void): this;
  on(event: 'reqError', listener: (err: Error & { code?: string }) => void): this;
  on(event: 'done', listener: (result: unknown) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  stop(): void;
}

type Autocannon = (opts: AutocannonOptions) => AutocannonInstance;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

/** Runs one autocannon instance to its end; `watch` sees every answer as it comes. */
export function runAutocannon(opts: AutocannonOptions, watch: (instance: AutocannonInstance) => void): Promise<void> {
  return new Promise((done, fail) => {
    const instance = autocannon(opts);
    watch(instance);
    instance.on('done', () => done());
    instance.on('error', fail);
  });
}
