import { Reader, Writer } from 'protobufjs/minimal';
import { hadoop } from '../generated/hadoop';
import { encodeFrame } from './frame-decoder';
import { IpcProtocolError, RpcErrorCode } from './ipc-errors';
import { successFrame } from './success-frame';
import {
  CALL_ID_CONNECTION_CONTEXT,
  CALL_ID_PING,
  CALL_ID_SASL,
  IPC_VERSION,
} from './wire-constants';

const { RpcRequestHeaderProto, RpcResponseHeaderProto, RequestHeaderProto, IpcConnectionContextProto, RpcSaslProto } = hadoop.common;
const RpcStatus = RpcResponseHeaderProto.RpcStatusProto;

export type RpcRequestHeader = hadoop.common.RpcRequestHeaderProto;
export type RpcResponseHeader = hadoop.common.RpcResponseHeaderProto;
export type RequestHeader = hadoop.common.RequestHeaderProto;
export type ConnectionContext = hadoop.common.IpcConnectionContextProto;

/** Identifies a call in the answer so clients can match out-of-order answers. */
export interface CallIdentity {
  callId: number;
  clientId?: Uint8Array;
  retryCount?: number;
}

export interface CallFrameFields extends CallIdentity {
  clientId: Uint8Array;
  method: string;
  protocol: string;
  protocolVersion?: number;
}

export interface ConnectionContextFields {
  clientId: Uint8Array;
  user: string;
  realUser?: string;
  protocol: string;
}

export interface RpcFailure {
  status: 'ERROR' | 'FATAL';
  className: string;
  message: string;
  code: RpcErrorCode;
}

export type DecodedRequestFrame =
  | { kind: 'context'; header: RpcRequestHeader; context: ConnectionContext }
  | { kind: 'ping'; header: RpcRequestHeader }
  | { kind: 'sasl'; header: RpcRequestHeader; state: hadoop.common.RpcSaslProto.SaslState }
  | { kind: 'call'; header: RpcRequestHeader; request: RequestHeader; body: Uint8Array };

export interface DecodedResponseFrame {
  header: RpcResponseHeader;
  /** Call id as the signed int the client sent (the header field is uint32). */
  callId: number;
  /** The response message, present only on SUCCESS. */
  body?: Uint8Array;
}

function delimitedBytes(body: Uint8Array): Uint8Array {
  return Writer.create().bytes(body).finish();
}

function requestHeader(fields: CallIdentity & { clientId: Uint8Array }): hadoop.common.RpcRequestHeaderProto.$Properties {
  return {
    rpcKind: hadoop.common.RpcKindProto.RPC_PROTOCOL_BUFFER,
    rpcOp: RpcRequestHeaderProto.OperationProto.RPC_FINAL_PACKET,
    callId: fields.callId,
    clientId: fields.clientId,
    retryCount: fields.retryCount ?? -1,
  };
}

/*
 * Connection context frame, the first frame after the preamble:
 *
 *   +--------+-----------------------------------+--------------------------------------+
 *   | length | varint len | RpcRequestHeaderProto | varint len | IpcConnectionContextProto |
 *   +--------+-----------------------------------+--------------------------------------+
 *              callId = -3                          userInfo.effectiveUser, protocol
 */
export function encodeConnectionContextFrame(fields: ConnectionContextFields): Buffer {
  const userInfo: hadoop.common.UserInformationProto.$Properties = { effectiveUser: fields.user };
  if (fields.realUser !== undefined) userInfo.realUser = fields.realUser;
  return encodeFrame([
    RpcRequestHeaderProto.encodeDelimited(requestHeader({ callId: CALL_ID_CONNECTION_CONTEXT, clientId: fields.clientId })).finish(),
    IpcConnectionContextProto.encodeDelimited({ userInfo, protocol: fields.protocol }).finish(),
  ]);
}

/*
 * Request frame:
 *
 *   +--------+-----------------------+--------------------+------------------------+
 *   | length | varint len | RpcRequest | varint len | Request | varint len | request |
 *   |        |            HeaderProto  |       HeaderProto   |        message         |
 *   +--------+-----------------------+--------------------+------------------------+
 *              callId, clientId,        methodName,          e.g. GetFileInfo
 *              retryCount               protocol, version    RequestProto bytes
 */
export function encodeRequestFrame(fields: CallFrameFields, body: Uint8Array): Buffer {
  return encodeFrame([
    RpcRequestHeaderProto.encodeDelimited(requestHeader(fields)).finish(),
    RequestHeaderProto.encodeDelimited({
      methodName: fields.method,
      declaringClassProtocolName: fields.protocol,
      clientProtocolVersion: fields.protocolVersion ?? 1,
    }).finish(),
    delimitedBytes(body),
  ]);
}

/* Ping frame: just an RpcRequestHeaderProto with callId = -4; never answered. */
export function encodePingFrame(clientId: Uint8Array): Buffer {
  return encodeFrame([RpcRequestHeaderProto.encodeDelimited(requestHeader({ callId: CALL_ID_PING, clientId })).finish()]);
}

/** Throws IpcProtocolError for anything the server must answer FATAL. */
export function decodeRequestFrame(frame: Uint8Array): DecodedRequestFrame {
  const reader = Reader.create(frame);
  let header: RpcRequestHeader;
  try {
    header = RpcRequestHeaderProto.decodeDelimited(reader);
  } catch (err) {
    throw new IpcProtocolError(`cannot parse RpcRequestHeaderProto: ${errorText(err)}`, RpcErrorCode.FATAL_INVALID_RPC_HEADER);
  }
  const callId = header.callId;
  if (header.rpcKind !== hadoop.common.RpcKindProto.RPC_PROTOCOL_BUFFER) {
    throw new IpcProtocolError(`unsupported rpcKind ${header.rpcKind}`, RpcErrorCode.FATAL_UNSUPPORTED_SERIALIZATION, callId);
  }
  if (callId === CALL_ID_PING) return { kind: 'ping', header };
  try {
    if (callId === CALL_ID_SASL) return { kind: 'sasl', header, state: RpcSaslProto.decodeDelimited(reader).state };
    if (callId === CALL_ID_CONNECTION_CONTEXT) {
      return { kind: 'context', header, context: IpcConnectionContextProto.decodeDelimited(reader) };
    }
    const request = RequestHeaderProto.decodeDelimited(reader);
    // A request message with no fields may be sent as an empty remainder.
    const body = reader.pos < reader.len ? reader.bytes() : new Uint8Array(0);
    return { kind: 'call', header, request, body };
  } catch (err) {
    throw new IpcProtocolError(`cannot parse request: ${errorText(err)}`, RpcErrorCode.FATAL_DESERIALIZING_REQUEST, callId);
  }
}

function responseHeader(call: CallIdentity, status: number): hadoop.common.RpcResponseHeaderProto.$Properties {
  const header: hadoop.common.RpcResponseHeaderProto.$Properties = {
    callId: call.callId >>> 0,
    status,
    serverIpcVersionNum: IPC_VERSION,
    retryCount: call.retryCount ?? -1,
  };
  if (call.clientId !== undefined) header.clientId = call.clientId;
  return header;
}

/*
 * Successful answer:
 *
 *   +--------+------------------------------------+---------------------------+
 *   | length | varint len | RpcResponseHeaderProto | varint len | response msg |
 *   +--------+------------------------------------+---------------------------+
 *              callId, status = SUCCESS (0),         e.g. GetFileInfo
 *              serverIpcVersionNum = 9, clientId     ResponseProto bytes
 */
export function encodeSuccessResponse(call: CallIdentity, body: Uint8Array): Buffer {
  // The hot path: one buffer, no header object (success-frame.ts, byte-checked against protobufjs in its unit test).
  return successFrame(call.callId, call.clientId, call.retryCount, body);
}

/*
 * Failed answer (no response message follows the header):
 *
 *   +--------+----------------------------------------------------------+
 *   | length | varint len | RpcResponseHeaderProto                        |
 *   +--------+----------------------------------------------------------+
 *              callId, status = ERROR (1, connection stays open)
 *                               or FATAL (2, server closes it),
 *              exceptionClassName, errorMsg, errorDetail (RpcErrorCodeProto)
 */
export function encodeErrorResponse(call: CallIdentity, failure: RpcFailure): Buffer {
  const header = responseHeader(call, failure.status === 'FATAL' ? RpcStatus.FATAL : RpcStatus.ERROR);
  header.exceptionClassName = failure.className;
  header.errorMsg = failure.message;
  header.errorDetail = failure.code;
  return encodeFrame([RpcResponseHeaderProto.encodeDelimited(header).finish()]);
}

/*
 * A SIMPLE-only server's answer to a client's SASL NEGOTIATE (Hadoop's
 * Server.buildNegotiateResponse): SUCCESS, which tells the client to go on
 * with SIMPLE authentication.
 *
 *   +--------+------------------------------------+--------------------------+
 *   | length | varint len | RpcResponseHeaderProto | varint len | RpcSaslProto |
 *   +--------+------------------------------------+--------------------------+
 *              callId = -33, status = SUCCESS        state = SUCCESS
 */
export function encodeSaslSimpleResponse(): Buffer {
  return encodeFrame([
    RpcResponseHeaderProto.encodeDelimited(responseHeader({ callId: CALL_ID_SASL }, RpcStatus.SUCCESS)).finish(),
    RpcSaslProto.encodeDelimited({ state: RpcSaslProto.SaslState.SUCCESS }).finish(),
  ]);
}

/** Client side: splits an answer frame into header and response message. */
export function decodeResponseFrame(frame: Uint8Array): DecodedResponseFrame {
  const reader = Reader.create(frame);
  let header: RpcResponseHeader;
  try {
    header = RpcResponseHeaderProto.decodeDelimited(reader);
  } catch (err) {
    throw new IpcProtocolError(`cannot parse RpcResponseHeaderProto: ${errorText(err)}`, RpcErrorCode.FATAL_INVALID_RPC_HEADER);
  }
  const decoded: DecodedResponseFrame = { header, callId: header.callId | 0 };
  if (header.status === RpcStatus.SUCCESS) {
    try {
      decoded.body = reader.pos < reader.len ? reader.bytes() : new Uint8Array(0);
    } catch (err) {
      throw new IpcProtocolError(`truncated response message: ${errorText(err)}`, RpcErrorCode.FATAL_DESERIALIZING_REQUEST, decoded.callId);
    }
  }
  return decoded;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
