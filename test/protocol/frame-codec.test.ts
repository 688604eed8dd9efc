import { hadoop } from '../../protocol/generated/hadoop';
import {
  decodeRequestFrame,
  decodeResponseFrame,
  encodeConnectionContextFrame,
  encodeErrorResponse,
  encodePingFrame,
  encodeRequestFrame,
  encodeSuccessResponse,
} from '../../protocol/ipc/frame-codec';
import { encodeFrame, FrameDecoder } from '../../protocol/ipc/frame-decoder';
import { IpcProtocolError, PreambleError, RpcErrorCode } from '../../protocol/ipc/ipc-errors';
import { checkPreamble, encodePreamble } from '../../protocol/ipc/preamble';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';

const { RpcStatusProto } = hadoop.common.RpcResponseHeaderProto;
const hdfs = hadoop.hdfs;
const clientId = Buffer.from('0123456789abcdef');

/** Strips the 4-byte length, checking it, as the streaming decoder would. */
function payload(frame: Buffer): Buffer {
  const got = new FrameDecoder().push(frame);
  expect(got).toHaveLength(1);
  return got[0] as Buffer;
}

describe('preamble', () => {
  it('is hrpc, version 9, service class 0, auth 0 (SIMPLE) or 0xdf (SASL)', () => {
    expect([...encodePreamble()]).toEqual([0x68, 0x72, 0x70, 0x63, 9, 0, 0]);
    expect(checkPreamble(encodePreamble())).toBe('simple');
    expect(checkPreamble(Buffer.from([0x68, 0x72, 0x70, 0x63, 9, 0, 0xdf]))).toBe('sasl');
  });

  it.each([
    ['bad-version', Buffer.from([0x68, 0x72, 0x70, 0x63, 7, 0, 0])],
    ['bad-magic', Buffer.from('hrpx\x09\x00\x00', 'latin1')],
    ['http-request', Buffer.from('GET / H', 'latin1')],
    ['bad-auth-protocol', Buffer.from([0x68, 0x72, 0x70, 0x63, 9, 0, 0x51])],
  ])('refuses %s', (problem, bytes) => {
    expect(() => checkPreamble(bytes)).toThrow(PreambleError);
    try {
      checkPreamble(bytes);
    } catch (err) {
      expect((err as PreambleError).problem).toBe(problem);
    }
  });
});

describe('request frames', () => {
  it('round-trips the connection context', () => {
    const decoded = decodeRequestFrame(
      payload(encodeConnectionContextFrame({ clientId, user: 'alice', realUser: 'hue', protocol: CLIENT_PROTOCOL })),
    );
    expect(decoded.kind).toBe('context');
    if (decoded.kind !== 'context') return;
    expect(decoded.header.callId).toBe(-3);
    expect(decoded.context.userInfo?.effectiveUser).toBe('alice');
    expect(decoded.context.userInfo?.realUser).toBe('hue');
    expect(decoded.context.protocol).toBe(CLIENT_PROTOCOL);
  });

  it('round-trips a call with its headers and body', () => {
    const body = hdfs.GetFileInfoRequestProto.encode({ src: '/user/alice' }).finish();
    const frame = encodeRequestFrame({ callId: 42, clientId, retryCount: 2, method: 'getFileInfo', protocol: CLIENT_PROTOCOL }, body);
    const decoded = decodeRequestFrame(payload(frame));
    expect(decoded.kind).toBe('call');
    if (decoded.kind !== 'call') return;
    expect(decoded.header.callId).toBe(42);
    expect(decoded.header.retryCount).toBe(2);
    expect(Buffer.from(decoded.header.clientId)).toEqual(clientId);
    expect(decoded.header.rpcKind).toBe(hadoop.common.RpcKindProto.RPC_PROTOCOL_BUFFER);
    expect(decoded.request.methodName).toBe('getFileInfo');
    expect(decoded.request.declaringClassProtocolName).toBe(CLIENT_PROTOCOL);
    expect(Number(decoded.request.clientProtocolVersion)).toBe(1);
    expect(hdfs.GetFileInfoRequestProto.decode(decoded.body).src).toBe('/user/alice');
  });

  it('accepts an empty request message sent with or without its zero length', () => {
    const withLength = decodeRequestFrame(
      payload(encodeRequestFrame({ callId: 1, clientId, method: 'getServerDefaults', protocol: CLIENT_PROTOCOL }, new Uint8Array(0))),
    );
    expect(withLength.kind === 'call' && withLength.body.length).toBe(0);
    const header = hadoop.common.RpcRequestHeaderProto.encodeDelimited({ callId: 1, clientId, rpcKind: 2 }).finish();
    const request = hadoop.common.RequestHeaderProto.encodeDelimited({
      methodName: 'msync',
      declaringClassProtocolName: CLIENT_PROTOCOL,
      clientProtocolVersion: 1,
    }).finish();
    const without = decodeRequestFrame(Buffer.concat([header, request]));
    expect(without.kind === 'call' && without.body.length).toBe(0);
  });

  it('recognises pings', () => {
    expect(decodeRequestFrame(payload(encodePingFrame(clientId))).kind).toBe('ping');
  });

  it('rejects a header that does not parse as FATAL_INVALID_RPC_HEADER', () => {
    const garbage = Buffer.from([0x05, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(() => decodeRequestFrame(garbage)).toThrow(IpcProtocolError);
    try {
      decodeRequestFrame(garbage);
    } catch (err) {
      expect((err as IpcProtocolError).code).toBe(RpcErrorCode.FATAL_INVALID_RPC_HEADER);
    }
  });

  it('rejects a header missing required fields, and an empty frame', () => {
    // Delimited header holding only callId (field 3, sint32 zigzag 5 = 10).
    const noClientId = Buffer.from([2, 0x18, 10]);
    expect(() => decodeRequestFrame(noClientId)).toThrow(/missing required 'clientId'/);
    expect(() => decodeRequestFrame(new Uint8Array(0))).toThrow(IpcProtocolError);
  });

  it('rejects a truncated request header as FATAL_DESERIALIZING_REQUEST with the call id', () => {
    const full = payload(
      encodeRequestFrame({ callId: 7, clientId, method: 'getFileInfo', protocol: CLIENT_PROTOCOL }, new Uint8Array([10, 1, 47])),
    );
    const headerLength = (full[0] as number) + 1;
    try {
      decodeRequestFrame(full.subarray(0, headerLength + 5));
      throw new Error('expected a failure');
    } catch (err) {
      expect(err).toBeInstanceOf(IpcProtocolError);
      expect((err as IpcProtocolError).code).toBe(RpcErrorCode.FATAL_DESERIALIZING_REQUEST);
      expect((err as IpcProtocolError).callId).toBe(7);
    }
  });

  it('rejects non-protobuf rpc kinds', () => {
    const header = hadoop.common.RpcRequestHeaderProto.encodeDelimited({ callId: 1, clientId, rpcKind: 1 }).finish();
    expect(() => decodeRequestFrame(header)).toThrow(/unsupported rpcKind/);
  });
});

describe('response frames', () => {
  it('round-trips a success with its body', () => {
    const body = hdfs.GetFileInfoResponseProto.encode({}).finish();
    const decoded = decodeResponseFrame(payload(encodeSuccessResponse({ callId: 9, clientId, retryCount: -1 }, body)));
    expect(decoded.callId).toBe(9);
    expect(decoded.header.status).toBe(RpcStatusProto.SUCCESS);
    expect(decoded.header.serverIpcVersionNum).toBe(9);
    expect(Buffer.from(decoded.header.clientId)).toEqual(clientId);
    expect(decoded.body).toEqual(body);
  });

  it('round-trips an error with class, message and detail, and no body', () => {
    const frame = encodeErrorResponse(
      { callId: 3, clientId },
      { status: 'ERROR', className: 'java.io.FileNotFoundException', message: 'File does not exist: /x', code: RpcErrorCode.ERROR_APPLICATION },
    );
    const decoded = decodeResponseFrame(payload(frame));
    expect(decoded.header.status).toBe(RpcStatusProto.ERROR);
    expect(decoded.header.exceptionClassName).toBe('java.io.FileNotFoundException');
    expect(decoded.header.errorMsg).toBe('File does not exist: /x');
    expect(decoded.header.errorDetail).toBe(RpcErrorCode.ERROR_APPLICATION);
    expect(decoded.body).toBeUndefined();
  });

  it('keeps negative call ids (uint32 on the wire) signed', () => {
    const frame = encodeErrorResponse({ callId: -1 }, { status: 'FATAL', className: 'x', message: 'y', code: RpcErrorCode.FATAL_UNKNOWN });
    const decoded = decodeResponseFrame(payload(frame));
    expect(decoded.callId).toBe(-1);
    expect(decoded.header.status).toBe(RpcStatusProto.FATAL);
  });

  it('matches the Go client framing byte for byte (uvarint-prefixed messages)', () => {
    // Go: makeRPCPacket(rrh, resp) = uint32 BE total, then uvarint len + bytes per message.
    const header = hadoop.common.RpcResponseHeaderProto.encode({ callId: 1, status: 0, serverIpcVersionNum: 9, retryCount: -1 }).finish();
    const body = Buffer.from([8, 1]);
    const go = encodeFrame([Buffer.from([header.length]), header, Buffer.from([body.length]), body]);
    expect(encodeSuccessResponse({ callId: 1 }, body)).toEqual(go);
  });
});
