import fc from 'fast-check';
import { Reader, Writer } from 'protobufjs/minimal';
import { hadoop } from '../../../protocol/generated/hadoop';
import { encodeFrame } from '../../../protocol/ipc/frame-decoder';
import { successFrame } from '../../../protocol/ipc/success-frame';
import { IPC_VERSION } from '../../../protocol/ipc/wire-constants';

const { RpcResponseHeaderProto } = hadoop.common;

/** What the frame was before the hand encoder: protobufjs's header, the delimited body, a length prefix. */
function viaProtobufjs(callId: number, clientId: Uint8Array | undefined, retryCount: number | undefined, body: Uint8Array): Buffer {
  const header: hadoop.common.RpcResponseHeaderProto.$Properties = {
    callId: callId >>> 0,
    status: RpcResponseHeaderProto.RpcStatusProto.SUCCESS,
    serverIpcVersionNum: IPC_VERSION,
    retryCount: retryCount ?? -1,
  };
  if (clientId !== undefined) header.clientId = clientId;
  return encodeFrame([RpcResponseHeaderProto.encodeDelimited(header).finish(), Writer.create().bytes(body).finish()]);
}

describe('successFrame', () => {
  it('writes the same bytes as protobufjs for any call id, client id, retry count and body', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -2147483648, max: 2147483647 }), fc.constantFrom(0, 127, 128, 16383, 16384, -1, -2147483648, 2147483647)),
        fc.option(fc.uint8Array({ maxLength: 300 }), { nil: undefined }),
        fc.option(fc.oneof(fc.integer({ min: -2147483648, max: 2147483647 }), fc.constantFrom(-1, 0, 63, 64, -65)), { nil: undefined }),
        fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ minLength: 16380, maxLength: 16400 })),
        (callId, clientId, retryCount, body) => {
          expect(successFrame(callId, clientId, retryCount, body)).toEqual(viaProtobufjs(callId, clientId, retryCount, body));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('decodes back to the header fields and the body', () => {
    const clientId = Uint8Array.from({ length: 16 }, (_, i) => i);
    const body = Buffer.from('response message');
    const frame = successFrame(-7, clientId, 3, body);
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    const reader = Reader.create(frame.subarray(4));
    const header = RpcResponseHeaderProto.decodeDelimited(reader);
    expect(header.callId | 0).toBe(-7);
    expect(header.status).toBe(RpcResponseHeaderProto.RpcStatusProto.SUCCESS);
    expect(Buffer.from(header.clientId)).toEqual(Buffer.from(clientId));
    expect(header.retryCount).toBe(3);
    expect(Buffer.from(reader.bytes())).toEqual(body);
  });
});
