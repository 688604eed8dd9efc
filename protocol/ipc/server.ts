import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import pino, { type Logger } from 'pino';
import { CallScheduler } from './call-scheduler';
import { ConnectionAdmission } from './connection-admission';
import { ExceptionClass } from './exception-classes';
import { FrameBufferBudget } from './frame-buffer-budget';
import { defaultMapError, type ErrorMapper, type RpcHandler } from './rpc-handler';
import type { HandlerLookup } from './call-runner';
import { ServerConnection } from './server-connection';
import { DEFAULT_IPC_SERVER_LIMITS, SERVER_TOO_BUSY, sweepIntervalMs, type IpcServerLimits } from './server-limits';

export interface IpcServerOptions extends Partial<IpcServerLimits> {
  /** Turns a handler's thrown error into a Hadoop exception; default: java.io.IOException. */
  mapError?: ErrorMapper;
  logger?: Logger;
  /** Calls with their own, smaller concurrency bound (expensiveHandlerCount), e.g. getContentSummary. */
  isExpensiveCall?: (method: string, body: Uint8Array) => boolean;
  lingerMs?: number;
  /**
   * Protocols whose calls have their own handlers and queue (Hadoop's
   * service RPC port, in one port): the namenode names DatanodeProtocol so
   * heartbeats are never refused or held behind a client flood.
   */
  priorityProtocols?: readonly string[];
  /** Handlers (and, ×100, queue slots) reserved for priorityProtocols. */
  priorityHandlerCount?: number;
}

/** A refused address is logged at most once a minute. */
const REFUSAL_LOG_INTERVAL_MS = 60_000;

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
  readonly #limits: IpcServerLimits;
  readonly #admission: ConnectionAdmission;
  readonly #scheduler: CallScheduler;
  readonly #budget: FrameBufferBudget;
  readonly #priorityScheduler: CallScheduler;
  readonly #sweeper: NodeJS.Timeout;
  readonly #sweepIntervalMs: number;
  #lastSweepAt = Date.now();
  readonly #lookup: HandlerLookup = (protocol, method) => {
    const methods = this.#handlers.get(protocol);
    if (methods === undefined) return 'no-such-protocol';
    return methods.get(method) ?? 'no-such-method';
  };

  constructor(options: IpcServerOptions = {}) {
    this.#log = options.logger ?? pino({ level: 'silent' });
    const limits = limitsOf(options);
    this.#limits = limits;
    this.#admission = new ConnectionAdmission({ ...limits, refusalLogIntervalMs: REFUSAL_LOG_INTERVAL_MS }, this.#log);
    this.#scheduler = new CallScheduler({ handlers: limits.handlerCount, queueSize: limits.callQueueSize, expensiveHandlers: limits.expensiveHandlerCount });
    this.#budget = new FrameBufferBudget(limits.maxBufferedBytes);
    const priorityHandlers = options.priorityHandlerCount ?? 8;
    this.#priorityScheduler = new CallScheduler({ handlers: priorityHandlers, queueSize: priorityHandlers * 100, expensiveHandlers: priorityHandlers });
    const priority = new Set(options.priorityProtocols ?? []);
    const settings = {
      lookup: this.#lookup,
      mapError: options.mapError ?? defaultMapError,
      logger: this.#log,
      maxFrameBytes: limits.maxFrameBytes,
      maxHandshakeFrameBytes: Math.min(limits.maxHandshakeFrameBytes, limits.maxFrameBytes),
      maxInFlight: limits.maxInFlightPerConnection,
      lingerMs: options.lingerMs ?? 5000,
      budget: this.#budget,
      schedulerFor: (protocol: string) => (priority.has(protocol) ? this.#priorityScheduler : this.#scheduler),
      isExpensive: options.isExpensiveCall ?? (() => false),
      busy: { className: limits.overflowTriggersFailover ? ExceptionClass.Standby : ExceptionClass.Retriable, message: SERVER_TOO_BUSY },
    };
    this.#server = createServer({ allowHalfOpen: true }, (socket: Socket) => {
      const address = socket.remoteAddress ?? '';
      if (!this.#admission.admit(address)) {
        socket.destroy();
        return;
      }
      const connection = new ServerConnection(socket, settings, () => {
        this.#connections.delete(connection);
        this.#admission.release(address);
      });
      this.#connections.add(connection);
    });
    this.#server.on('error', (err) => this.#log.error({ err }, 'ipc server error'));
    this.#sweepIntervalMs = sweepIntervalMs(limits);
    this.#sweeper = setInterval(() => this.#sweep(), this.#sweepIntervalMs).unref();
  }

  #sweep(): void {
    const now = Date.now();
    const stalled = now - this.#lastSweepAt > 2 * this.#sweepIntervalMs;
    this.#lastSweepAt = now;
    // After an event-loop stall, bytes that arrived meanwhile are still unread: judge no one on this round.
    if (stalled) return;
    const idle = this.#connections.size >= this.#limits.idleScanThreshold ? this.#limits.maxIdleTimeMs : undefined;
    const limits = { handshakeTimeoutMs: this.#limits.handshakeTimeoutMs, idleTimeoutMs: idle };
    for (const connection of this.#connections) connection.sweep(now, limits);
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

  /** What the server holds and has refused, for metrics and tests. */
  stats(): IpcServerStats {
    let bufferedBytes = 0;
    let paused = 0;
    for (const connection of this.#connections) {
      bufferedBytes += connection.bufferedBytes;
      if (connection.paused) paused++;
    }
    return {
      connections: this.#connections.size,
      refusedConnections: this.#admission.refused,
      bufferedBytes,
      partialFrameBytes: this.#budget.held,
      partialFramePeakBytes: this.#budget.peak,
      budgetEvictions: this.#budget.evictions,
      pausedConnections: paused,
      runningCalls: this.#scheduler.running,
      queuedCalls: this.#scheduler.waiting,
      busyAnswers: this.#scheduler.refused,
      priorityCalls: this.#priorityScheduler.running + this.#priorityScheduler.waiting,
      priorityBusyAnswers: this.#priorityScheduler.refused,
    };
  }

  /** Stops listening and ends every connection. */
  close(): Promise<void> {
    clearInterval(this.#sweeper);
    return new Promise((resolve) => {
      this.#server.close(() => resolve());
      for (const connection of this.#connections) connection.close();
    });
  }
}

export interface IpcServerStats {
  connections: number;
  refusedConnections: number;
  /** Partial frames, calls not yet admitted and unsent answers, over all connections. */
  bufferedBytes: number;
  /** Bytes of incomplete frames, counted against maxBufferedBytes; and the most ever held at once. */
  partialFrameBytes: number;
  partialFramePeakBytes: number;
  /** Connections closed because every holder of the full budget was waiting. */
  budgetEvictions: number;
  pausedConnections: number;
  runningCalls: number;
  queuedCalls: number;
  /** Calls answered "server too busy" since start. */
  busyAnswers: number;
  /** Calls of priorityProtocols running or waiting, and refused, on their own scheduler. */
  priorityCalls: number;
  priorityBusyAnswers: number;
}

function limitsOf(options: IpcServerOptions): IpcServerLimits {
  const limits: IpcServerLimits = { ...DEFAULT_IPC_SERVER_LIMITS };
  for (const key of Object.keys(DEFAULT_IPC_SERVER_LIMITS) as (keyof IpcServerLimits)[]) {
    const value = options[key];
    if (value !== undefined) (limits as unknown as Record<string, unknown>)[key] = value;
  }
  if (options.handlerCount !== undefined && options.callQueueSize === undefined) limits.callQueueSize = limits.handlerCount * 100;
  return limits;
}
