import type { Logger } from 'pino';
import { ExceptionClass } from './exception-classes';
import { encodeErrorResponse } from './frame-codec';
import { FrameTooLargeError, IpcProtocolError, PreambleError, RpcErrorCode } from './ipc-errors';
import { CALL_ID_UNKNOWN } from './wire-constants';

/** Hadoop's own reply to a browser pointed at the IPC port. */
const HTTP_ON_IPC_PORT =
  'HTTP/1.1 404 Not Found\r\nContent-type: text/plain\r\n\r\n' +
  'It looks like you are making an HTTP request to a Hadoop IPC port. ' +
  'This is not the correct port for the web interface on this daemon.\r\n';

function fatal(className: string, message: string, code: RpcErrorCode, callId = CALL_ID_UNKNOWN): Buffer {
  return encodeErrorResponse({ callId }, { status: 'FATAL', className, message, code });
}

/**
 * Logs why a connection is being closed (the logger carries the remote
 * address) and returns what to send before closing it, if anything.
 */
export function lastWordsFor(err: unknown, log: Logger): Buffer | undefined {
  if (err instanceof PreambleError) {
    log.warn({ problem: err.problem }, err.message);
    if (err.problem === 'http-request') return Buffer.from(HTTP_ON_IPC_PORT, 'latin1');
    if (err.problem === 'bad-version') return fatal(ExceptionClass.VersionMismatch, err.message, RpcErrorCode.FATAL_VERSION_MISMATCH);
    return undefined;
  }
  if (err instanceof FrameTooLargeError) {
    // As Hadoop: no answer, the stream cannot be resynchronised.
    log.warn({ length: err.length }, err.message);
    return undefined;
  }
  if (err instanceof IpcProtocolError) {
    log.warn({ code: RpcErrorCode[err.code] }, err.message);
    const className = err.code === RpcErrorCode.FATAL_UNAUTHORIZED ? ExceptionClass.AccessControl : ExceptionClass.RpcServer;
    return fatal(className, err.message, err.code, err.callId);
  }
  log.error({ err }, 'unexpected failure on ipc connection');
  return undefined;
}
