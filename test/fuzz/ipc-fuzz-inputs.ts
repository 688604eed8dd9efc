import fc from 'fast-check';
import { hadoop } from '../../protocol/generated/hadoop';
import { encodeConnectionContextFrame, encodePingFrame, encodeRequestFrame } from '../../protocol/ipc/frame-codec';
import { encodePreamble } from '../../protocol/ipc/preamble';
import type { MessageDecoder } from '../../protocol/ipc/rpc-handler';
import { CLIENT_PROTOCOL, DATANODE_PROTOCOL } from '../../protocol/ipc/wire-constants';

const H = hadoop.hdfs;
const D = hadoop.hdfs.datanode;

interface MessageType extends MessageDecoder<unknown> {
  fromObject(object: Record<string, unknown>): unknown;
  encode(message: unknown): { finish(): Uint8Array };
}

/** A method the fuzzer calls: its protocol, request type and a generator of plausible requests. */
export interface FuzzedMethod {
  protocol: string;
  method: string;
  request: MessageType;
  arb: fc.Arbitrary<Record<string, unknown>>;
}

const path = fc.string({ maxLength: 30 }).map((s) => `/${s}`);
const blockId = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((n) => n.toString());
const registration = fc.record({
  datanodeID: fc.record({ ipAddr: fc.constant('127.0.0.1'), hostName: fc.string({ maxLength: 20 }), datanodeUuid: fc.uuid(), xferPort: fc.nat(65535), infoPort: fc.nat(65535), ipcPort: fc.nat(65535) }),
  storageInfo: fc.record({ layoutVersion: fc.integer(), namespceID: fc.nat(), clusterID: fc.string({ maxLength: 20 }), cTime: fc.nat() }),
  keys: fc.record({ isBlockTokenEnabled: fc.boolean(), keyUpdateInterval: fc.nat(), tokenLifeTime: fc.nat(), currentKey: fc.record({ keyId: fc.nat(), expiryDate: fc.nat(), keyBytes: fc.uint8Array({ maxLength: 16 }) }) }),
  softwareVersion: fc.constant('3.3.6'),
});
const storage = fc.record({ storageUuid: fc.uuid() });

const cast = (t: unknown): MessageType => t as MessageType;

/** Several methods of each protocol a namenode serves, with their real request messages. */
export const FUZZED_METHODS: readonly FuzzedMethod[] = [
  { protocol: CLIENT_PROTOCOL, method: 'getFileInfo', request: cast(H.GetFileInfoRequestProto), arb: fc.record({ src: path }) },
  { protocol: CLIENT_PROTOCOL, method: 'mkdirs', request: cast(H.MkdirsRequestProto), arb: fc.record({ src: path, masked: fc.record({ perm: fc.nat(0o7777) }), createParent: fc.boolean() }) },
  { protocol: CLIENT_PROTOCOL, method: 'getListing', request: cast(H.GetListingRequestProto), arb: fc.record({ src: path, startAfter: fc.uint8Array({ maxLength: 20 }), needLocation: fc.boolean() }) },
  { protocol: CLIENT_PROTOCOL, method: 'delete', request: cast(H.DeleteRequestProto), arb: fc.record({ src: path, recursive: fc.boolean() }) },
  { protocol: CLIENT_PROTOCOL, method: 'rename', request: cast(H.RenameRequestProto), arb: fc.record({ src: path, dst: path }) },
  { protocol: CLIENT_PROTOCOL, method: 'getBlockLocations', request: cast(H.GetBlockLocationsRequestProto), arb: fc.record({ src: path, offset: fc.nat(), length: fc.nat() }) },
  {
    protocol: CLIENT_PROTOCOL,
    method: 'create',
    request: cast(H.CreateRequestProto),
    arb: fc.record({ src: path, masked: fc.record({ perm: fc.nat(0o7777) }), clientName: fc.string({ maxLength: 20 }), createFlag: fc.nat(7), createParent: fc.boolean(), replication: fc.nat(10), blockSize: fc.nat() }),
  },
  { protocol: CLIENT_PROTOCOL, method: 'getContentSummary', request: cast(H.GetContentSummaryRequestProto), arb: fc.record({ path }) },
  { protocol: DATANODE_PROTOCOL, method: 'registerDatanode', request: cast(D.RegisterDatanodeRequestProto), arb: fc.record({ registration }) },
  {
    protocol: DATANODE_PROTOCOL,
    method: 'sendHeartbeat',
    request: cast(D.HeartbeatRequestProto),
    arb: fc.record({ registration, reports: fc.array(fc.record({ storageUuid: fc.uuid(), capacity: fc.nat(), dfsUsed: fc.nat(), remaining: fc.nat() }), { maxLength: 3 }), xmitsInProgress: fc.nat(10), xceiverCount: fc.nat(10) }),
  },
  {
    protocol: DATANODE_PROTOCOL,
    method: 'blockReport',
    request: cast(D.BlockReportRequestProto),
    arb: fc.record({ registration, blockPoolId: fc.string({ maxLength: 20 }), reports: fc.array(fc.record({ storage, blocks: fc.array(blockId, { maxLength: 30 }) }), { maxLength: 2 }) }),
  },
  {
    protocol: DATANODE_PROTOCOL,
    method: 'blockReceivedAndDeleted',
    request: cast(D.BlockReceivedAndDeletedRequestProto),
    arb: fc.record({
      registration,
      blockPoolId: fc.string({ maxLength: 20 }),
      blocks: fc.array(fc.record({ storageUuid: fc.uuid(), blocks: fc.array(fc.record({ block: fc.record({ blockId, genStamp: fc.nat(), numBytes: fc.nat() }), status: fc.constantFrom(1, 2, 3) }), { maxLength: 4 }) }), { maxLength: 2 }),
    }),
  },
];

const clientId = fc.uint8Array({ minLength: 16, maxLength: 16 });

/** One valid call: its frame, and its request message alone. */
export const validCall: fc.Arbitrary<{ method: FuzzedMethod; frame: Buffer; body: Uint8Array }> = fc
  .tuple(fc.constantFrom(...FUZZED_METHODS), fc.integer({ min: 0, max: 0x7fffffff }), clientId, fc.integer({ min: -1, max: 5 }))
  .chain(([method, callId, id, retryCount]) =>
    method.arb.map((fields) => {
      const body = method.request.encode(method.request.fromObject(fields)).finish();
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
