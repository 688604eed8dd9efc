import { createServer, connect, type Server, type Socket } from 'node:net';

/** "hrpc", version, service class, auth protocol: what a Hadoop IPC client sends before its first frame. */
const PREAMBLE_BYTES = 7;

/** Counts the 4-byte-length-prefixed frames of one direction of a Hadoop IPC connection. */
class FrameCounter {
  frames = 0;
  #skip: number;
  #header = Buffer.alloc(0);
  #bodyLeft = 0;

  constructor(skip: number) {
    this.#skip = skip;
  }

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - at);
        this.#skip -= n;
        at += n;
      } else if (this.#bodyLeft > 0) {
        const n = Math.min(this.#bodyLeft, chunk.length - at);
        this.#bodyLeft -= n;
        at += n;
        if (this.#bodyLeft === 0) this.frames++;
      } else {
        const n = Math.min(4 - this.#header.length, chunk.length - at);
        this.#header = Buffer.concat([this.#header, chunk.subarray(at, at + n)]);
        at += n;
        if (this.#header.length === 4) {
          this.#bodyLeft = this.#header.readUInt32BE(0);
          this.#header = Buffer.alloc(0);
          if (this.#bodyLeft === 0) this.frames++;
        }
      }
    }
  }
}

interface Relay {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly calls: FrameCounter;
  readonly answers: FrameCounter;
  held: Buffer[];
}

/**
 * A TCP proxy in front of a namenode's IPC port that can lose answers on
 * purpose: hold the callers' requests, then let them through while throwing
 * the namenode's answers away. The namenode acts on the calls (and hands
 * out what it hands out), the caller never hears back — a lost reply made
 * certain instead of racing a kill against it.
 */
export class AnswerDroppingProxy {
  #holding = false;
  #dropping = false;
  readonly #relays = new Set<Relay>();

  private constructor(
    readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<AnswerDroppingProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    const proxy = new AnswerDroppingProxy(server, address.port);
    server.on('connection', (client) => proxy.#relay(client, targetHost, targetPort));
    return proxy;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Requests from now on wait in the proxy. */
  holdRequests(): void {
    this.#holding = true;
  }

  /** Whether every call passed to the namenode has had its answer passed back (the connection context has none). */
  get quiet(): boolean {
    return [...this.#relays].every((r) => r.answers.frames >= Math.max(0, r.calls.frames - 1));
  }

  /** Lets the held requests (and all later ones) through, and throws every answer away from now on. */
  releaseRequestsDroppingAnswers(): void {
    this.#dropping = true;
    this.#holding = false;
    for (const r of this.#relays) for (const chunk of r.held.splice(0)) this.#forward(r, chunk);
  }

  async close(): Promise<void> {
    for (const r of this.#relays) {
      r.client.destroy();
      r.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  #forward(r: Relay, chunk: Buffer): void {
    r.calls.push(chunk);
    r.upstream.write(chunk);
  }

  #relay(client: Socket, host: string, port: number): void {
    const upstream = connect({ host, port });
    const r: Relay = { client, upstream, calls: new FrameCounter(PREAMBLE_BYTES), answers: new FrameCounter(0), held: [] };
    this.#relays.add(r);
    for (const s of [client, upstream]) s.on('error', () => undefined);
    client.on('data', (d: Buffer) => (this.#holding ? r.held.push(d) : this.#forward(r, d)));
    upstream.on('data', (d: Buffer) => {
      r.answers.push(d);
      if (!this.#dropping) client.write(d);
    });
    const end = (): void => {
      this.#relays.delete(r);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end);
    upstream.on('close', end);
  }
}
