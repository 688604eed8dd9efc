import { randomBytes } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { hadoop } from '../generated/hadoop';
import { decodeResponseFrame, encodeConnectionContextFrame, encodeRequestFrame } from './frame-codec';
import { FrameDecoder } from './frame-decoder';
import { CallTimeoutError, IpcConnectionError, RemoteError } from './ipc-errors';
import { encodePreamble } from './preamble';
import type { MessageDecoder, MessageEncoder } from './rpc-handler';
import { TickCork } from './tick-cork';
import { DEFAULT_MAX_FRAME_BYTES } from './wire-constants';

const RpcStatus = hadoop.common.RpcResponseHeaderProto.RpcStatusProto;
const MAX_CALL_ID = 0x7fffffff;

export interface IpcClientOptions {
  host: string;
  port: number;
  user: string;
  /** The authenticated user when `user` is impersonated (doAs). */
  realUser?: string;
  /** e.g. org.apache.hadoop.hdfs.protocol.ClientProtocol */
  protocolName: string;
  protocolVersion?: number;
  /** 16 bytes; random when omitted. */
  clientId?: Uint8Array;
  maxFrameBytes?: number;
  connectTimeoutMs?: number;
  /** Local address to connect from (e.g. 127.0.0.2 on Linux loopback): the address the server sees. */
  localAddress?: string;
}

export interface CallOptions {
  /** Only for retries of an earlier call: reuse its callId with retryCount >= 1. */
  callId?: number;
  retryCount?: number;
  protocolName?: string;
  /**
   * Gives up on the answer after this long (Hadoop's rpc timeout): the call
   * rejects with CallTimeoutError (an IpcConnectionError). A caller that cannot tell whether the
   * call ran should drop the connection.
   */
  timeoutMs?: number;
}

interface PendingCall {
  resolve(body: Uint8Array): void;
  reject(err: Error): void;
}

/**
 * Hadoop IPC client: one connection, many concurrent calls matched to their
 * answers by call id. Used by tests, the load generator and the datanode.
 */
export class IpcClient {
  readonly clientId: Uint8Array;
  readonly #socket: Socket;
  readonly #options: IpcClientOptions;
  readonly #decoder: FrameDecoder;
  readonly #pending = new Map<number, PendingCall>();
  /** Calls made in the same tick (threads sharing the connection, woken by one read) leave in one writev. */
  readonly #cork: TickCork;
  #nextCallId = 0;
  #failure: Error | undefined;

  private constructor(socket: Socket, options: IpcClientOptions, clientId: Uint8Array) {
    this.#socket = socket;
    this.#options = options;
    this.clientId = clientId;
    this.#cork = new TickCork(socket);
    this.#decoder = new FrameDecoder(options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => this.#fail(new IpcConnectionError(`connection to ${this.#peer()} failed: ${err.message}`)));
    socket.on('close', () => this.#fail(new IpcConnectionError(`connection to ${this.#peer()} closed`)));
  }

  /** Connects, sends the preamble and the connection context. */
  static connect(options: IpcClientOptions): Promise<IpcClient> {
    const clientId = options.clientId ?? randomBytes(16);
    return new Promise((resolve, reject) => {
      const socket = netConnect({
        host: options.host,
        port: options.port,
        ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
      });
      socket.setNoDelay(true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new IpcConnectionError(`connect to ${options.host}:${options.port} timed out`));
      }, options.connectTimeoutMs ?? 10_000);
      const onError = (err: Error): void => {
        clearTimeout(timer);
        reject(new IpcConnectionError(`connect to ${options.host}:${options.port} failed: ${err.message}`));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        const context: Parameters<typeof encodeConnectionContextFrame>[0] = {
          clientId,
          user: options.user,
          protocol: options.protocolName,
        };
        if (options.realUser !== undefined) context.realUser = options.realUser;
        socket.write(Buffer.concat([encodePreamble(), encodeConnectionContextFrame(context)]));
        resolve(new IpcClient(socket, options, clientId));
      });
    });
  }

  /**
   * Calls `method` with a protobufjs message, e.g.
   * `client.call('getFileInfo', hdfs.GetFileInfoRequestProto, { src: '/' }, hdfs.GetFileInfoResponseProto)`.
   * Rejects with RemoteError when the server answers ERROR or FATAL.
   */
  async call<Req, Res>(
    method: string,
    requestType: MessageEncoder<Req>,
    request: Req,
    responseType: MessageDecoder<Res>,
    options: CallOptions = {},
  ): Promise<Res> {
    const body = await this.callRaw(method, requestType.encode(request).finish(), options);
    return responseType.decode(body);
  }

  /** As call(), with the request and response messages as bytes. */
  callRaw(method: string, body: Uint8Array, options: CallOptions = {}): Promise<Uint8Array> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const callId = options.callId ?? this.#takeCallId();
    return new Promise((resolve, reject) => {
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.#pending.delete(callId);
              reject(new CallTimeoutError(`${method}: no answer within ${options.timeoutMs} ms`));
            }, options.timeoutMs);
      this.#pending.set(callId, {
        resolve: (b) => {
          clearTimeout(timer);
          resolve(b);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.#cork.beforeWrite();
      this.#socket.write(
        encodeRequestFrame(
          {
            callId,
            clientId: this.clientId,
            retryCount: options.retryCount ?? -1,
            method,
            protocol: options.protocolName ?? this.#options.protocolName,
            protocolVersion: this.#options.protocolVersion ?? 1,
          },
          body,
        ),
      );
    });
  }

  get pendingCalls(): number {
    return this.#pending.size;
  }

  /** Closes the connection; calls still pending reject with IpcConnectionError. */
  close(): Promise<void> {
    this.#fail(new IpcConnectionError('client closed'));
    return new Promise((resolve) => {
      if (this.#socket.destroyed) return resolve();
      this.#socket.once('close', () => resolve());
      this.#socket.end(() => this.#socket.destroy());
    });
  }

  #takeCallId(): number {
    const id = this.#nextCallId;
    this.#nextCallId = id === MAX_CALL_ID ? 0 : id + 1;
    return id;
  }

  #onData(chunk: Buffer): void {
    try {
      for (const frame of this.#decoder.push(chunk)) {
        const { header, callId, body } = decodeResponseFrame(frame);
        const pending = this.#pending.get(callId);
        if (header.status === RpcStatus.SUCCESS) {
          this.#pending.delete(callId);
          pending?.resolve(body ?? new Uint8Array(0));
          continue;
        }
        const fatal = header.status === RpcStatus.FATAL;
        const err = new RemoteError(header.exceptionClassName, header.errorMsg, header.errorDetail || undefined, fatal);
        if (fatal) {
          this.#fail(err);
          this.#socket.destroy();
          return;
        }
        this.#pending.delete(callId);
        pending?.reject(err);
      }
    } catch (err) {
      this.#fail(new IpcConnectionError(`bad answer from ${this.#peer()}: ${err instanceof Error ? err.message : String(err)}`));
      this.#socket.destroy();
    }
  }

  /** Rejects every pending call; later calls reject at once. */
  #fail(err: Error): void {
    this.#failure ??= err;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of pending) call.reject(err);
  }

  #peer(): string {
    return `${this.#options.host}:${this.#options.port}`;
  }
}
