import type { handleServerStreamingCall, handleUnaryCall, ServerUnaryCall, ServerWritableStream } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { Caller } from '../security/caller';
import type { CallerResolver } from '../security/caller-resolver';
import { claimedIdentityOf } from './call-identity';
import { grpcErrorOf } from './grpc-errors';

/**
 * The gRPC front door's adapters: each call's caller is resolved from its
 * metadata under the proxy-user rules, and every error, the caller's own
 * included, goes through the one mapping (grpcErrorOf).
 */
export class GrpcHandlers {
  readonly #callers: CallerResolver;
  readonly #logger: Logger;

  constructor(callers: CallerResolver, logger: Logger) {
    this.#callers = callers;
    this.#logger = logger;
  }

  /** A unary call answered by `run`. */
  unary<Req, Res>(run: (req: Req, caller: Caller) => Promise<Res>): handleUnaryCall<Req, Res> {
    return (call: ServerUnaryCall<Req, Res>, callback) => {
      Promise.resolve()
        .then(() => run(call.request, this.#caller(call)))
        .then(
          (res) => callback(null, res),
          (err: unknown) => callback(grpcErrorOf(err, this.#logger)),
        );
    };
  }

  /** A server stream: `run` writes through `send` (which waits while the client is slow) and returns when done. */
  serverStream<Req, Res>(run: (req: Req, caller: Caller, send: (msg: Res) => Promise<void>, cancelled: () => boolean) => Promise<void>): handleServerStreamingCall<Req, Res> {
    return (call: ServerWritableStream<Req, Res>) => {
      // A client that stops reading holds the stream here, not in memory; one that hangs up releases it.
      const send = (msg: Res): Promise<void> => {
        if (call.cancelled || call.write(msg)) return Promise.resolve();
        return new Promise((resolve) => {
          const done = () => {
            call.off('drain', done);
            call.off('cancelled', done);
            resolve();
          };
          call.once('drain', done);
          call.once('cancelled', done);
        });
      };
      Promise.resolve()
        .then(() => run(call.request, this.#caller(call), send, () => call.cancelled))
        .then(
          () => call.end(),
          (err: unknown) => call.emit('error', grpcErrorOf(err, this.#logger)),
        );
    };
  }

  #caller(call: ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>): Caller {
    return this.#callers.resolve(claimedIdentityOf(call.metadata, call.getPeer()));
  }
}
