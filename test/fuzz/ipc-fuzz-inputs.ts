import fc from 'fast-check';
import { encodeConnectionContextFrame, encodePingFrame, encodeRequestFrame } from '../../protocol/ipc/frame-codec';
import { encodePreamble } from '../../protocol/ipc/preamble';
import type { MessageDecoder, ProtoRpcHandler, RpcHandler } from '../../protocol/ipc/rpc-handler';
import { CLIENT_PROTOCOL, DATANODE_PROTOCOL, NAMENODE_PROTOCOL, REFRESH_USER_MAPPINGS_PROTOCOL } from '../../protocol/ipc/wire-constants';
import { clientProtocolHandlers } from '../../namenode/ipc/client-protocol-service';
import { datanodeProtocolHandlers } from '../../namenode/ipc/datanode-protocol-service';
import { namenodeProtocolHandlers } from '../../namenode/ipc/namenode-protocol-service';
import { refreshUserMappingsHandlers } from '../../namenode/ipc/refresh-user-mappings-service';
import { validMessages } from './proto-arbitrary';

/** A method the fuzzer calls: its protocol, the handler's own request type and valid requests of it. */
export interface FuzzedMethod {
  protocol: string;
  method: string;
  request: MessageDecoder<unknown>;
  bodies: fc.Arbitrary<Uint8Array>;
}

/** The generated classes' full name, e.g. "hadoop.hdfs.GetFileInfoRequestProto". */
function typeName(request: MessageDecoder<unknown>): string {
  return (request as unknown as { getTypeUrl(prefix: string): string }).getTypeUrl('').replace(/^\//, '');
}

function methodsOf(protocol: string, handlers: Readonly<Record<string, RpcHandler>>): FuzzedMethod[] {
  return Object.entries(handlers).map(([method, handler]) => {
    const { requestType } = handler as ProtoRpcHandler;
    if (requestType === undefined) throw new Error(`${protocol}.${method} is not a protoHandler: the fuzz suite cannot tell its request type`);
    return { protocol, method, request: requestType, bodies: validMessages(typeName(requestType)) };
  });
}

// Built only to read which methods they serve and with which request type; no call reaches the stubs.
const stub = {} as never;

/** Every method the namenode registers, each with its own request message. */
export const FUZZED_METHODS: readonly FuzzedMethod[] = [
  ...methodsOf(CLIENT_PROTOCOL, clientProtocolHandlers(stub, stub, stub)),
  ...methodsOf(DATANODE_PROTOCOL, datanodeProtocolHandlers(stub, stub, stub)),
  ...methodsOf(NAMENODE_PROTOCOL, namenodeProtocolHandlers(stub, stub)),
  ...methodsOf(REFRESH_USER_MAPPINGS_PROTOCOL, refreshUserMappingsHandlers(stub, stub)),
];

const clientId = fc.uint8Array({ minLength: 16, maxLength: 16 });

/** One valid call: its frame, and its request message alone. */
export const validCall: fc.Arbitrary<{ method: FuzzedMethod; frame: Buffer; body: Uint8Array }> = fc
  .tuple(fc.constantFrom(...FUZZED_METHODS), fc.integer({ min: 0, max: 0x7fffffff }), clientId, fc.integer({ min: -1, max: 5 }))
  .chain(([method, callId, id, retryCount]) =>
    method.bodies.map((body) => {
      const frame = encodeRequestFrame({ callId, clientId: id, retryCount, method: method.method, protocol: method.protocol }, body);
      return { method, frame, body };
    }),
  );

/** A whole valid connection: preamble, context, then calls and pings. */
export const validStream: fc.Arbitrary<Buffer[]> = fc
  .tuple(clientId, fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom(CLIENT_PROTOCOL, DATANODE_PROTOCOL), fc.array(fc.oneof({ weight: 9, arbitrary: validCall.map((c) => c.frame) }, { weight: 1, arbitrary: clientId.map((id) => encodePingFrame(id)) }), { minLength: 1, maxLength: 6 }))
  .map(([id, user, protocol, calls]) => [encodePreamble(), encodeConnectionContextFrame({ clientId: id, user, protocol }), ...calls]);

/** The ways a frame is damaged: flips, truncation, an inflated length, an overlong varint, junk. */
export const mutation: fc.Arbitrary<(frame: Buffer) => Buffer> = fc.oneof(
  fc.array(fc.tuple(fc.nat(), fc.nat(7)), { minLength: 1, maxLength: 8 }).map((flips) => (frame: Buffer) => {
    const out = Buffer.from(frame);
    for (const [at, bit] of flips) {
      const i = at % Math.max(1, out.length);
      if (i < out.length) out[i] = (out[i] ?? 0) ^ (1 << bit);
    }
    return out;
  }),
  fc.nat().map((cut) => (frame: Buffer) => frame.subarray(0, frame.length === 0 ? 0 : cut % frame.length)),
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 0xffffffff })).map(([at, length]) => (frame: Buffer) => {
    // Overwrite a 4-byte length or a varint-length position with a huge claim.
    const out = Buffer.from(frame);
    if (out.length >= 4) out.writeUInt32BE(length, Math.min(at % out.length, out.length - 4));
    return out;
  }),
  fc.nat().map((at) => (frame: Buffer) => {
    const cut = frame.length === 0 ? 0 : 4 + (at % Math.max(1, frame.length - 4));
    return Buffer.concat([frame.subarray(0, cut), Buffer.alloc(11, 0xff), frame.subarray(cut)]);
  }),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((junk) => (frame: Buffer) => Buffer.concat([frame.subarray(0, frame.length >> 1), junk])),
);

/** What one fuzzed connection sends (frames: how many it holds, the preamble counting as one). */
export interface HostileStream {
  bytes: Buffer;
  frames: number;
}

/** A valid stream with some frames damaged, or plain random bytes. */
export const hostileStream: fc.Arbitrary<HostileStream> = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(validStream, fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 })).map(([frames, damage]) => {
    const out = [...frames];
    for (const [which, mutate] of damage) {
      const i = which % out.length;
      out[i] = mutate(out[i] as Buffer);
    }
    return { bytes: Buffer.concat(out), frames: out.length };
  }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }).map((b) => ({ bytes: Buffer.from(b), frames: 1 })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }).map((b) => ({ bytes: Buffer.concat([encodePreamble(), Buffer.from(b)]), frames: 2 })) },
);
