import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { hadoop } from '../generated/hadoop';
import { runCall, type HandlerLookup } from './call-runner';
import type { CallScheduler } from './call-scheduler';
import { lastWordsFor } from './connection-failure';
import { decodeRequestFrame, encodeErrorResponse, encodeSaslSimpleResponse, type DecodedRequestFrame } from './frame-codec';
import { successFrame } from './success-frame';
import { TickCork } from './tick-cork';
import type { BudgetMember, FrameBufferBudget } from './frame-buffer-budget';
import { FrameDecoder } from './frame-decoder';
import { IpcProtocolError, RpcErrorCode } from './ipc-errors';
import { checkPreamble } from './preamble';
import type { ErrorMapper, RpcCallContext } from './rpc-handler';
import { PREAMBLE_LENGTH } from './wire-constants';

type CallFrame = Extract<DecodedRequestFrame, { kind: 'call' }>;

export interface ConnectionSettings {
  lookup: HandlerLookup;
  mapError: ErrorMapper;
  logger: Logger;
  maxFrameBytes: number;
  /** Frame bound until the connection context has arrived. */
  maxHandshakeFrameBytes: number;
  maxInFlight: number;
  /** How long a closing connection may take to flush before it is destroyed. */
  lingerMs: number;
  /** The scheduler a call waits in, by its protocol (priority protocols have their own). */
  schedulerFor: (protocol: string) => CallScheduler;
  /** Bytes of incomplete frames, shared by every connection of the server. */
  budget: FrameBufferBudget;
  isExpensive: (method: string, body: Uint8Array) => boolean;
  /** The answer to a call the full call queue refused. */
  busy: { className: string; message: string };
}

/** What the server's periodic sweep enforces on each connection. */
export interface SweepLimits {
  handshakeTimeoutMs: number;
  /** Undefined while idle connections are tolerated. */
  idleTimeoutMs: number | undefined;
}

/**
 * One client connection: preamble, connection context, then calls served
 * concurrently and answered as they finish. Any protocol violation ends
 * this connection only; nothing here throws past the socket callbacks.
 */
export class ServerConnection implements BudgetMember {
  readonly #socket: Socket;
  readonly #settings: ConnectionSettings;
  readonly #log: Logger;
  readonly #decoder: FrameDecoder;
  #stage: 'preamble' | 'sasl' | 'context' | 'calls' | 'closing' = 'preamble';
  #preamble = Buffer.alloc(0);
  #user = '';
  #realUser: string | undefined;
  #queue: CallFrame[] = [];
  #queuedBytes = 0;
  /** Calls handed to the scheduler and not yet answered (waiting or running). */
  #inFlight = 0;
  #writeBlocked = false;
  /** Answers that finish in the same tick leave in one writev. */
  readonly #cork: TickCork;
  #paused = false;
  /** Read bytes the memory budget had no room for: reading waits until it does. */
  #unread: Buffer | undefined;
  /** What this connection holds in the budget. */
  #counted = 0;
  #peerEnded = false;
  readonly #acceptedAt = Date.now();
  #lastActivityAt = Date.now();
  readonly #identity: object = {};

  constructor(socket: Socket, settings: ConnectionSettings, onClose: () => void) {
    this.#socket = socket;
    this.#cork = new TickCork(socket);
    this.#settings = settings;
    this.#log = settings.logger.child({ remote: `${socket.remoteAddress}:${socket.remotePort}` });
    this.#decoder = new FrameDecoder(settings.maxHandshakeFrameBytes);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('drain', () => {
      this.#lastActivityAt = Date.now();
      this.#writeBlocked = false;
      try {
        this.#pump();
      } catch (err) {
        this.#fail(err);
      }
    });
    socket.on('end', () => {
      this.#peerEnded = true;
      this.#endIfIdle();
    });
    socket.on('error', (err) => this.#log.debug({ err }, 'ipc socket error'));
    socket.on('close', () => {
      this.#stage = 'closing';
      this.#dropQueue();
      this.#unread = undefined;
      this.#settings.budget.release(this);
      onClose();
    });
  }

  /** Stops reading and ends the connection; answers still in flight are dropped. */
  close(): void {
    this.#closeWith();
  }

  /** Bytes this connection holds: a partial frame, calls not yet admitted, answers not yet sent. */
  get bufferedBytes(): number {
    return this.#decoder.pendingBytes + (this.#unread?.length ?? 0) + this.#queuedBytes + this.#socket.writableLength;
  }

  /** Reading is paused (backpressure). */
  get paused(): boolean {
    return this.#paused;
  }

  /** Closes a connection that has not finished its handshake in time, or has been idle too long. */
  sweep(now: number, limits: SweepLimits): void {
    if (this.#stage === 'closing') return;
    if (this.#stage !== 'calls') {
      if (now - this.#acceptedAt >= limits.handshakeTimeoutMs) {
        this.#log.info({ stage: this.#stage, ms: now - this.#acceptedAt }, 'closing connection: no connection context within the handshake timeout');
        this.#closeWith();
      }
      return;
    }
    // Calls still executing keep a connection; answers it does not read do not.
    if (limits.idleTimeoutMs !== undefined && this.#inFlight === 0 && now - this.#lastActivityAt >= limits.idleTimeoutMs) {
      this.#log.debug({ ms: now - this.#lastActivityAt }, 'closing idle connection');
      this.#closeWith();
    }
  }

  #isClosing(): boolean {
    return this.#stage === 'closing';
  }

  #onData(chunk: Buffer): void {
    if (this.#stage === 'closing') return;
    this.#lastActivityAt = Date.now();
    try {
      let data = chunk;
      if (this.#stage === 'preamble') {
        const need = PREAMBLE_LENGTH - this.#preamble.length;
        this.#preamble = Buffer.concat([this.#preamble, data.subarray(0, need)]);
        data = data.subarray(need);
        if (this.#preamble.length < PREAMBLE_LENGTH) return;
        this.#stage = checkPreamble(this.#preamble) === 'sasl' ? 'sasl' : 'context';
      }
      this.#consume(data);
    } catch (err) {
      this.#fail(err);
    }
  }

  /** The budget has room again: take the bytes that waited, then read on. */
  resume(): void {
    const data = this.#unread;
    this.#unread = undefined;
    if (data === undefined || this.#isClosing()) return;
    try {
      this.#consume(data);
    } catch (err) {
      this.#fail(err);
    }
  }

  evict(): void {
    this.#log.warn({ bytes: this.#decoder.pendingBytes }, 'closing connection: holds the most of the full frame memory budget while every holder waits');
    this.#closeWith();
  }

  /** Room for this connection's partial frame: the free budget plus what it already has counted there. */
  readonly #room = (): number => this.#settings.budget.free() + this.#counted - this.#decoder.pendingBytes;

  /** Each frame read; false (stop reading) once the connection is closing. */
  readonly #takeFrame = (frame: Buffer): boolean => {
    if (this.#isClosing()) return false;
    this.#onFrame(decodeRequestFrame(frame));
    return true;
  };

  #consume(data: Buffer): void {
    const budget = this.#settings.budget;
    this.#decoder.read(data, this.#takeFrame, this.#room);
    if (this.#isClosing()) return;
    this.#counted = this.#decoder.pendingBytes;
    budget.set(this, this.#counted);
    this.#unread = this.#decoder.takeLeftover();
    this.#pump();
    if (this.#unread !== undefined) budget.wait(this);
  }

  #onFrame(frame: DecodedRequestFrame): void {
    switch (frame.kind) {
      case 'ping':
        return;
      case 'sasl':
        // A SIMPLE-only server answers the client's NEGOTIATE with SUCCESS: "use SIMPLE" (Hadoop's switchToSimple).
        if (this.#stage === 'sasl' && frame.state === hadoop.common.RpcSaslProto.SaslState.NEGOTIATE) {
          this.#write(encodeSaslSimpleResponse());
          this.#stage = 'context';
          return;
        }
        throw new IpcProtocolError('SASL authentication (Kerberos, tokens) is not supported: nnfleet accepts SIMPLE authentication only (set hadoop.security.authentication=simple)', RpcErrorCode.FATAL_UNAUTHORIZED, frame.header.callId);
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
        this.#decoder.maxFrameBytes = this.#settings.maxFrameBytes;
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
        this.#queuedBytes += frame.body.length;
        return;
    }
  }

  /** Hands queued calls to the scheduler while this connection may have more in flight and its answers flow. */
  #pump(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.#settings.maxInFlight && !this.#writeBlocked && !this.#isClosing()) {
      const frame = this.#queue.shift() as CallFrame;
      this.#queuedBytes -= frame.body.length;
      this.#admit(frame);
    }
    this.#updateFlow();
    this.#endIfIdle();
  }

  #dropQueue(): void {
    this.#queue = [];
    this.#queuedBytes = 0;
  }

  #admit(frame: CallFrame): void {
    const expensive = this.#isExpensive(frame);
    const scheduler = this.#settings.schedulerFor(frame.request.declaringClassProtocolName);
    this.#inFlight++;
    const accepted = scheduler.submit({
      expensive,
      start: () => {
        if (this.#isClosing()) {
          this.#inFlight--;
          return false;
        }
        // Started from whichever connection freed the slot: a failure here is this connection's alone.
        try {
          this.#dispatch(frame, expensive, scheduler);
          return true;
        } catch (err) {
          this.#inFlight--;
          this.#fail(err);
          return false;
        }
      },
    });
    if (accepted) return;
    this.#inFlight--;
    const { header } = frame;
    this.#log.debug({ method: frame.request.methodName }, 'call queue full: answering server too busy');
    this.#write(
      encodeErrorResponse(
        { callId: header.callId, clientId: header.clientId, retryCount: header.retryCount },
        { status: 'ERROR', ...this.#settings.busy, code: RpcErrorCode.ERROR_RPC_SERVER },
      ),
    );
  }

  /** Backpressure: stop reading while calls or unsent answers pile up. */
  #updateFlow(): void {
    if (this.#stage === 'closing') return;
    const shouldPause = this.#unread !== undefined || this.#queue.length > 0 || this.#inFlight >= this.#settings.maxInFlight || this.#writeBlocked;
    if (shouldPause && !this.#paused) this.#socket.pause();
    if (!shouldPause && this.#paused) this.#socket.resume();
    this.#paused = shouldPause;
  }

  /** The caller's predicate sees hostile bytes too: a throw must not escape an event handler. */
  #isExpensive(frame: CallFrame): boolean {
    try {
      return this.#settings.isExpensive(frame.request.methodName, frame.body);
    } catch {
      return false;
    }
  }

  /** Runs a call the scheduler started; it reports back when the handler is done. */
  #dispatch(frame: CallFrame, expensive: boolean, scheduler: CallScheduler): void {
    const { header, request, body } = frame;
    // One shape for every call (realUser present, maybe undefined): the handlers' property loads stay monomorphic.
    const ctx: RpcCallContext = {
      user: this.#user,
      realUser: this.#realUser,
      // A view of the frame, not a copy: only a write's retry key keeps it (call-retry-key.ts copies it).
      clientId: header.clientId,
      callId: header.callId,
      retryCount: header.retryCount,
      remoteAddress: this.#socket.remoteAddress ?? '',
      remotePort: this.#socket.remotePort ?? 0,
      connection: this.#identity,
      protocol: request.declaringClassProtocolName,
      method: request.methodName,
    };
    void runCall(this.#settings, this.#log, ctx, body)
      .then((outcome) => {
        this.#inFlight--;
        scheduler.finished(expensive);
        this.#lastActivityAt = Date.now();
        this.#write(
          outcome instanceof Uint8Array
            ? successFrame(header.callId, header.clientId, header.retryCount, outcome)
            : encodeErrorResponse({ callId: header.callId, clientId: header.clientId, retryCount: header.retryCount }, {
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

  #write(frame: Buffer): void {
    if (this.#stage === 'closing' || this.#socket.destroyed) return;
    this.#cork.beforeWrite();
    if (!this.#socket.write(frame)) {
      this.#writeBlocked = true;
      this.#updateFlow();
    }
  }

  #endIfIdle(): void {
    if (this.#peerEnded && this.#inFlight === 0 && this.#queue.length === 0 && this.#unread === undefined) this.#closeWith();
  }

  #fail(err: unknown): void {
    this.#closeWith(lastWordsFor(err, this.#log));
  }

  #closeWith(lastWords?: Buffer): void {
    if (this.#stage === 'closing') return;
    this.#stage = 'closing';
    this.#dropQueue();
    this.#unread = undefined;
    this.#counted = 0;
    this.#settings.budget.release(this);
    const socket = this.#socket;
    if (socket.destroyed) return;
    socket.resume();
    socket.end(lastWords ?? Buffer.alloc(0), () => socket.destroy());
    setTimeout(() => socket.destroy(), this.#settings.lingerMs).unref();
  }
}
