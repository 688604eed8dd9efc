import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { hadoop } from '../generated/hadoop';
import { ExceptionClass } from './exception-classes';
import { decodeRequestFrame, encodeErrorResponse, encodeSuccessResponse, type DecodedRequestFrame } from './frame-codec';
import { FrameDecoder } from './frame-decoder';
import { FrameTooLargeError, IpcProtocolError, PreambleError, RequestDecodeError, RpcErrorCode } from './ipc-errors';
import { checkPreamble } from './preamble';
import type { ErrorMapper, MappedError, RpcCallContext, RpcHandler } from './rpc-handler';
import { CALL_ID_UNKNOWN, PREAMBLE_LENGTH } from './wire-constants';

type CallFrame = Extract<DecodedRequestFrame, { kind: 'call' }>;

export type HandlerLookup = (protocol: string, method: string) => RpcHandler | 'no-such-protocol' | 'no-such-method';

export interface ConnectionSettings {
  lookup: HandlerLookup;
  mapError: ErrorMapper;
  logger: Logger;
  maxFrameBytes: number;
  maxInFlight: number;
  /** How long a closing connection may take to flush before it is destroyed. */
  lingerMs: number;
}

/** Hadoop's own reply to a browser pointed at the IPC port. */
const HTTP_ON_IPC_PORT =
  'HTTP/1.1 404 Not Found\r\nContent-type: text/plain\r\n\r\n' +
  'It looks like you are making an HTTP request to a Hadoop IPC port. ' +
  'This is not the correct port for the web interface on this daemon.\r\n';

/**
 * One client connection: preamble, connection context, then calls served
 * concurrently and answered as they finish. Any protocol violation ends
 * this connection only; nothing here throws past the socket callbacks.
 */
export class ServerConnection {
  readonly #socket: Socket;
  readonly #settings: ConnectionSettings;
  readonly #log: Logger;
  readonly #decoder: FrameDecoder;
  #stage: 'preamble' | 'context' | 'calls' | 'closing' = 'preamble';
  #preamble = Buffer.alloc(0);
  #user = '';
  #realUser: string | undefined;
  #queue: CallFrame[] = [];
  #inFlight = 0;
  #writeBlocked = false;
  #paused = false;
  #peerEnded = false;
  readonly #identity: object = {};

  constructor(socket: Socket, settings: ConnectionSettings, onClose: () => void) {
    this.#socket = socket;
    this.#settings = settings;
    this.#log = settings.logger.child({ remote: `${socket.remoteAddress}:${socket.remotePort}` });
    this.#decoder = new FrameDecoder(settings.maxFrameBytes);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('drain', () => {
      this.#writeBlocked = false;
      this.#updateFlow();
    });
    socket.on('end', () => {
      this.#peerEnded = true;
      this.#endIfIdle();
    });
    socket.on('error', (err) => this.#log.debug({ err }, 'ipc socket error'));
    socket.on('close', () => {
      this.#stage = 'closing';
      this.#queue = [];
      onClose();
    });
  }

  /** Stops reading and ends the connection; answers still in flight are dropped. */
  close(): void {
    this.#closeWith();
  }

  #isClosing(): boolean {
    return this.#stage === 'closing';
  }

  #onData(chunk: Buffer): void {
    if (this.#stage === 'closing') return;
    try {
      let data = chunk;
      if (this.#stage === 'preamble') {
        const need = PREAMBLE_LENGTH - this.#preamble.length;
        this.#preamble = Buffer.concat([this.#preamble, data.subarray(0, need)]);
        data = data.subarray(need);
        if (this.#preamble.length < PREAMBLE_LENGTH) return;
        checkPreamble(this.#preamble);
        this.#stage = 'context';
      }
      for (const frame of this.#decoder.push(data)) {
        if (this.#isClosing()) return;
        this.#onFrame(decodeRequestFrame(frame));
      }
      this.#pump();
    } catch (err) {
      this.#fail(err);
    }
  }

  #onFrame(frame: DecodedRequestFrame): void {
    switch (frame.kind) {
      case 'ping':
        return;
      case 'sasl':
        throw new IpcProtocolError('SASL negotiation is not supported: nnfleet accepts SIMPLE authentication only', RpcErrorCode.FATAL_UNAUTHORIZED, frame.header.callId);
      case 'context': {
        if (this.#stage !== 'context') {
          throw new IpcProtocolError('connection context sent twice', RpcErrorCode.FATAL_INVALID_RPC_HEADER, frame.header.callId);
        }
        const userInfo = frame.context.userInfo;
        if (!userInfo?.effectiveUser) {
          throw new IpcProtocolError('connection context names no user', RpcErrorCode.FATAL_UNAUTHORIZED, frame.header.callId);
        }
        this.#user = userInfo.effectiveUser;
        this.#realUser = userInfo.realUser || undefined;
        this.#stage = 'calls';
        return;
      }
      case 'call':
        if (this.#stage !== 'calls') {
          throw new IpcProtocolError('call before the connection context', RpcErrorCode.FATAL_INVALID_RPC_HEADER, frame.header.callId);
        }
        if (frame.header.rpcOp === hadoop.common.RpcRequestHeaderProto.OperationProto.RPC_CLOSE_CONNECTION) {
          this.#peerEnded = true;
          return;
        }
        this.#queue.push(frame);
        return;
    }
  }

  #pump(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.#settings.maxInFlight) {
      this.#dispatch(this.#queue.shift() as CallFrame);
    }
    this.#updateFlow();
    this.#endIfIdle();
  }

  /** Backpressure: stop reading while calls or unsent answers pile up. */
  #updateFlow(): void {
    if (this.#stage === 'closing') return;
    const shouldPause = this.#queue.length > 0 || this.#inFlight >= this.#settings.maxInFlight || this.#writeBlocked;
    if (shouldPause && !this.#paused) this.#socket.pause();
    if (!shouldPause && this.#paused) this.#socket.resume();
    this.#paused = shouldPause;
  }

  #dispatch(frame: CallFrame): void {
    const { header, request, body } = frame;
    const ctx: RpcCallContext = {
      user: this.#user,
      ...(this.#realUser === undefined ? {} : { realUser: this.#realUser }),
      clientId: Buffer.from(header.clientId),
      callId: header.callId,
      retryCount: header.retryCount,
      remoteAddress: this.#socket.remoteAddress ?? '',
      remotePort: this.#socket.remotePort ?? 0,
      connection: this.#identity,
      protocol: request.declaringClassProtocolName,
      method: request.methodName,
    };
    const identity = { callId: header.callId, clientId: header.clientId, retryCount: header.retryCount };
    this.#inFlight++;
    void this.#run(ctx, body)
      .then((outcome) => {
        this.#inFlight--;
        this.#write(
          outcome instanceof Uint8Array
            ? encodeSuccessResponse(identity, outcome)
            : encodeErrorResponse(identity, {
                status: 'ERROR',
                className: outcome.className,
                message: outcome.message,
                code: outcome.detail ?? RpcErrorCode.ERROR_APPLICATION,
              }),
        );
        this.#pump();
      })
      // An unhandled rejection would take the whole process down.
      .catch((err: unknown) => this.#fail(err));
  }

  /** Never rejects: every failure becomes the MappedError to answer with. */
  async #run(ctx: RpcCallContext, body: Uint8Array): Promise<Uint8Array | MappedError> {
    const handler = this.#settings.lookup(ctx.protocol, ctx.method);
    if (handler === 'no-such-protocol') {
      return { className: ExceptionClass.RpcNoSuchProtocol, message: `Unknown protocol: ${ctx.protocol}`, detail: RpcErrorCode.ERROR_NO_SUCH_PROTOCOL };
    }
    if (handler === 'no-such-method') {
      return {
        className: ExceptionClass.RpcNoSuchMethod,
        message: `Unknown method ${ctx.method} called on ${ctx.protocol} protocol.`,
        detail: RpcErrorCode.ERROR_NO_SUCH_METHOD,
      };
    }
    try {
      return await handler(ctx, body);
    } catch (err) {
      if (err instanceof RequestDecodeError) {
        return { className: ExceptionClass.RpcServer, message: err.message, detail: RpcErrorCode.ERROR_RPC_SERVER };
      }
      try {
        return this.#settings.mapError(err);
      } catch (mapErr) {
        this.#log.error({ err: mapErr, original: err }, 'mapError threw');
        return { className: ExceptionClass.IO, message: err instanceof Error ? err.message : String(err) };
      }
    }
  }

  #write(frame: Buffer): void {
    if (this.#stage === 'closing' || this.#socket.destroyed) return;
    if (!this.#socket.write(frame)) {
      this.#writeBlocked = true;
      this.#updateFlow();
    }
  }

  #endIfIdle(): void {
    if (this.#peerEnded && this.#inFlight === 0 && this.#queue.length === 0) this.#closeWith();
  }

  #fail(err: unknown): void {
    if (err instanceof PreambleError) {
      this.#log.warn({ problem: err.problem }, err.message);
      if (err.problem === 'http-request') return this.#closeWith(Buffer.from(HTTP_ON_IPC_PORT, 'latin1'));
      if (err.problem === 'bad-version') return this.#closeWithFatal(ExceptionClass.VersionMismatch, err.message, RpcErrorCode.FATAL_VERSION_MISMATCH);
      if (err.problem === 'sasl') return this.#closeWithFatal(ExceptionClass.AccessControl, err.message, RpcErrorCode.FATAL_UNAUTHORIZED);
      return this.#closeWith();
    }
    if (err instanceof FrameTooLargeError) {
      // As Hadoop: no answer, the stream cannot be resynchronised.
      this.#log.warn({ length: err.length }, err.message);
      return this.#closeWith();
    }
    if (err instanceof IpcProtocolError) {
      this.#log.warn({ code: RpcErrorCode[err.code] }, err.message);
      const className = err.code === RpcErrorCode.FATAL_UNAUTHORIZED ? ExceptionClass.AccessControl : ExceptionClass.RpcServer;
      return this.#closeWithFatal(className, err.message, err.code, err.callId);
    }
    this.#log.error({ err }, 'unexpected failure on ipc connection');
    this.#closeWith();
  }

  #closeWithFatal(className: string, message: string, code: RpcErrorCode, callId = CALL_ID_UNKNOWN): void {
    this.#closeWith(encodeErrorResponse({ callId }, { status: 'FATAL', className, message, code }));
  }

  #closeWith(lastWords?: Buffer): void {
    if (this.#stage === 'closing') return;
    this.#stage = 'closing';
    this.#queue = [];
    const socket = this.#socket;
    if (socket.destroyed) return;
    socket.resume();
    socket.end(lastWords ?? Buffer.alloc(0), () => socket.destroy());
    setTimeout(() => socket.destroy(), this.#settings.lingerMs).unref();
  }
}
