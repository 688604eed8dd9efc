import { hadoop } from '../generated/hadoop';

export const RpcErrorCode = hadoop.common.RpcResponseHeaderProto.RpcErrorCodeProto;
export type RpcErrorCode = hadoop.common.RpcResponseHeaderProto.RpcErrorCodeProto;

/** The peer broke the IPC protocol; the connection cannot continue. */
export class IpcProtocolError extends Error {
  override readonly name = 'IpcProtocolError';

  constructor(
    message: string,
    readonly code: RpcErrorCode,
    /** Call id of the offending frame when it could be read. */
    readonly callId?: number,
  ) {
    super(message);
  }
}

/** A frame announced more bytes than the configured maximum. */
export class FrameTooLargeError extends Error {
  override readonly name = 'FrameTooLargeError';

  constructor(
    readonly length: number,
    readonly maxFrameBytes: number,
  ) {
    super(`frame of ${length} bytes exceeds the maximum of ${maxFrameBytes} bytes`);
  }
}

export type PreambleProblem = 'http-request' | 'bad-magic' | 'bad-version' | 'bad-auth-protocol';

/** The first seven bytes of a connection were not an acceptable preamble. */
export class PreambleError extends Error {
  override readonly name = 'PreambleError';

  constructor(
    message: string,
    readonly problem: PreambleProblem,
  ) {
    super(message);
  }
}

/** A request body did not decode as the method's request message. */
export class RequestDecodeError extends Error {
  override readonly name = 'RequestDecodeError';
}

/** An ERROR or FATAL answer from the remote side, as Hadoop's RemoteException. */
export class RemoteError extends Error {
  override readonly name = 'RemoteError';

  constructor(
    readonly className: string,
    message: string,
    readonly code: RpcErrorCode | undefined,
    readonly fatal: boolean,
  ) {
    super(message);
  }
}

/** The connection failed or closed while calls were pending. */
export class IpcConnectionError extends Error {
  override readonly name = 'IpcConnectionError';
}

/** A call whose answer did not come within its timeout (the connection may still be open). */
export class CallTimeoutError extends IpcConnectionError {}
