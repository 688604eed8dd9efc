import type { Logger } from 'pino';
import { ExceptionClass } from './exception-classes';
import { RequestDecodeError, RpcErrorCode } from './ipc-errors';
import type { ErrorMapper, MappedError, RpcCallContext, RpcHandler } from './rpc-handler';

export type HandlerLookup = (protocol: string, method: string) => RpcHandler | 'no-such-protocol' | 'no-such-method';

/** Runs one call's handler. Never rejects: every failure becomes the MappedError to answer with. Not async: one reaction on the handler's promise. */
export function runCall(
  settings: { lookup: HandlerLookup; mapError: ErrorMapper },
  log: Logger,
  ctx: RpcCallContext,
  body: Uint8Array,
): Promise<Uint8Array | MappedError> {
  const handler = settings.lookup(ctx.protocol, ctx.method);
  if (handler === 'no-such-protocol') {
    return Promise.resolve({ className: ExceptionClass.RpcNoSuchProtocol, message: `Unknown protocol: ${ctx.protocol}`, detail: RpcErrorCode.ERROR_NO_SUCH_PROTOCOL });
  }
  if (handler === 'no-such-method') {
    return Promise.resolve({
      className: ExceptionClass.RpcNoSuchMethod,
      message: `Unknown method ${ctx.method} called on ${ctx.protocol} protocol.`,
      detail: RpcErrorCode.ERROR_NO_SUCH_METHOD,
    });
  }
  const failed = (err: unknown): MappedError => mapped(settings, log, err);
  try {
    return handler(ctx, body).then(undefined, failed);
  } catch (err) {
    return Promise.resolve(failed(err));
  }
}

/** A handler's failure as the error to answer with. */
function mapped(settings: { mapError: ErrorMapper }, log: Logger, err: unknown): MappedError {
  if (err instanceof RequestDecodeError) {
    return { className: ExceptionClass.RpcServer, message: err.message, detail: RpcErrorCode.ERROR_RPC_SERVER };
  }
  try {
    return settings.mapError(err);
  } catch (mapErr) {
    log.error({ err: mapErr, original: err }, 'mapError threw');
    return { className: ExceptionClass.IO, message: err instanceof Error ? err.message : String(err) };
  }
}
