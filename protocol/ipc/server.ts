import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import pino, { type Logger } from 'pino';
import { defaultMapError, type ErrorMapper, type RpcHandler } from './rpc-handler';
import { ServerConnection, type HandlerLookup } from './server-connection';
import { DEFAULT_MAX_FRAME_BYTES } from './wire-constants';

export interface IpcServerOptions {
  /** Turns a handler's thrown error into a Hadoop exception; default: java.io.IOException. */
  mapError?: ErrorMapper;
  logger?: Logger;
  /** Largest accepted frame; Hadoop's ipc.maximum.data.length (128 MiB). */
  maxFrameBytes?: number;
  /** Calls served at once per connection before reading from it pauses. */
  maxInFlightPerConnection?: number;
  lingerMs?: number;
}

/**
 * Hadoop IPC server (protobuf engine, SIMPLE auth). Handlers are registered
 * per protocol name and method name; calls on one connection run
 * concurrently and are answered as they complete.
 */
export class IpcServer {
  readonly #handlers = new Map<string, Map<string, RpcHandler>>();
  readonly #connections = new Set<ServerConnection>();
  readonly #server: Server;
  readonly #log: Logger;
  readonly #lookup: HandlerLookup = (protocol, method) => {
    const methods = this.#handlers.get(protocol);
    if (methods === undefined) return 'no-such-protocol';
    return methods.get(method) ?? 'no-such-method';
  };

  constructor(options: IpcServerOptions = {}) {
    this.#log = options.logger ?? pino({ level: 'silent' });
    const settings = {
      lookup: this.#lookup,
      mapError: options.mapError ?? defaultMapError,
      logger: this.#log,
      maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
      maxInFlight: options.maxInFlightPerConnection ?? 256,
      lingerMs: options.lingerMs ?? 5000,
    };
    this.#server = createServer({ allowHalfOpen: true }, (socket: Socket) => {
      const connection = new ServerConnection(socket, settings, () => this.#connections.delete(connection));
      this.#connections.add(connection);
    });
    this.#server.on('error', (err) => this.#log.error({ err }, 'ipc server error'));
  }

  register(protocol: string, method: string, handler: RpcHandler): this {
    let methods = this.#handlers.get(protocol);
    if (methods === undefined) {
      methods = new Map();
      this.#handlers.set(protocol, methods);
    }
    methods.set(method, handler);
    return this;
  }

  registerAll(protocol: string, handlers: Readonly<Record<string, RpcHandler>>): this {
    for (const [method, handler] of Object.entries(handlers)) this.register(protocol, method, handler);
    return this;
  }

  /** Resolves once listening; port 0 picks a free port (see address()). */
  listen(port = 0, host = '0.0.0.0'): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.#server.once('error', onError);
      this.#server.listen(port, host, () => {
        this.#server.off('error', onError);
        this.#log.info({ port: this.address().port, host }, 'ipc server listening');
        resolve(this.address());
      });
    });
  }

  address(): AddressInfo {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('ipc server is not listening');
    return address;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Stops listening and ends every connection. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      for (const connection of this.#connections) connection.close();
    });
  }
}
