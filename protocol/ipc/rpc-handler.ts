import { ExceptionClass } from './exception-classes';
import { RequestDecodeError, RpcErrorCode } from './ipc-errors';

/** What a handler knows about the call it serves. */
export interface RpcCallContext {
  /** Effective user from the connection context (SIMPLE auth: trusted as sent). */
  readonly user: string;
  /** Set when `user` is impersonated by a proxy user (doAs). */
  readonly realUser?: string;
  /** 16 bytes chosen by the client; with callId it keys the retry cache. A view of the request frame: copy it to keep it past the call. */
  readonly clientId: Uint8Array;
  readonly callId: number;
  /** -1 on a first attempt, 1.. on retries. */
  readonly retryCount: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** The same object for every call of one connection (a WeakMap key for per-connection state). */
  readonly connection: object;
  readonly protocol: string;
  readonly method: string;
}

/** Takes the request message bytes, returns the response message bytes. */
export type RpcHandler = (ctx: RpcCallContext, body: Uint8Array) => Promise<Uint8Array>;

/** How a thrown error is reported to a Hadoop client. */
export interface MappedError {
  className: string;
  message: string;
  /** Defaults to ERROR_APPLICATION. */
  detail?: RpcErrorCode;
}

export type ErrorMapper = (err: unknown) => MappedError;

/** Anything not mapped by the front door is an IOException, as in Hadoop. */
export const defaultMapError: ErrorMapper = (err) => ({
  className: ExceptionClass.IO,
  message: err instanceof Error ? err.message : String(err),
});

/** The slice of a protobufjs static class a handler needs to read a request. */
export interface MessageDecoder<T> {
  decode(bytes: Uint8Array): T;
}

/** The slice of a protobufjs static class a handler needs to write a response. */
export interface MessageEncoder<T> {
  encode(message: T): { finish(): Uint8Array };
}

/**
 * A handler built by protoHandler. It names its request type so the fuzz
 * suite can derive, from the handlers a server registers, which message
 * each method must be sent: no list to keep in step by hand.
 */
export interface ProtoRpcHandler extends RpcHandler {
  readonly requestType: MessageDecoder<unknown>;
}

/**
 * Builds a handler from generated classes, e.g.
 * `protoHandler(hdfs.GetFileInfoRequestProto, hdfs.GetFileInfoResponseProto, (ctx, req) => ...)`.
 */
export function protoHandler<Req, Res>(
  requestType: MessageDecoder<Req>,
  responseType: MessageEncoder<Res>,
  impl: (ctx: RpcCallContext, request: Req) => Promise<Res>,
): ProtoRpcHandler {
  return encodedAnswerHandler(requestType, async (ctx, request) => responseType.encode(await impl(ctx, request)).finish());
}

/** A handler whose implementation writes the response bytes itself (a hand-written encoder for a hot message). */
export function encodedAnswerHandler<Req>(requestType: MessageDecoder<Req>, impl: (ctx: RpcCallContext, request: Req) => Promise<Uint8Array>): ProtoRpcHandler {
  // Not async: an async function returning impl's promise would settle two microtask turns after it, on every call.
  const handler: RpcHandler = (ctx, body) => {
    let request: Req;
    try {
      request = requestType.decode(body);
    } catch (err) {
      return Promise.reject(
        new RequestDecodeError(`IPC server unable to read call parameters for ${ctx.method}: ${err instanceof Error ? err.message : String(err)}`),
      );
    }
    // An implementation that is not async may throw before it has a promise: still a rejected promise, never a throw.
    try {
      return impl(ctx, request);
    } catch (err) {
      return Promise.reject(err);
    }
  };
  return Object.assign(handler, { requestType });
}
