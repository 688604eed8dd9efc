import Long from 'long';
import { connect, type Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { ChecksumType, computeChunkChecksums, findChecksumMismatch, type ChecksumSpec } from '../../protocol/datatransfer/checksum';
import { encodeDelimited, encodeOpRequest, Op } from '../../protocol/datatransfer/op-codec';
import { encodePacket } from '../../protocol/datatransfer/packet-codec';
import { StreamReader } from '../../protocol/datatransfer/stream-reader';
import type { Mirror } from '../../datanode/transfer/mirror-connection';

/**
 * A small DataTransferProtocol client for tests, shaped like the Go
 * client's: 64 KiB packets, 512-byte chunks, a final empty packet.
 */
const Stage = hadoop.hdfs.OpWriteBlockProto.BlockConstructionStage;
export const POOL = 'BP-test';
export const CRC32C_512: ChecksumSpec = { type: ChecksumType.CRC32C, bytesPerChecksum: 512 };

/** `localAddress` (another loopback address, 127.0.0.2…) makes the connection come from another peer. */
export function dial(port: number, localAddress?: string): Promise<{ socket: Socket; reader: StreamReader }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ...(localAddress ? { localAddress } : {}) });
    socket.once('error', reject);
    socket.once('connect', () => resolve({ socket, reader: new StreamReader(socket) }));
  });
}

/** A pipeline mirror over a new loopback connection to `port`, named `address` (firstBadLink's form). */
export async function dialMirror(port: number, address: string): Promise<Mirror> {
  const { socket, reader } = await dial(port);
  // Later errors close the socket, which its reader sees; an unheard 'error' would crash the test.
  socket.on('error', () => undefined);
  return { socket, reader, address };
}

export function datanodeInfo(port: number): hadoop.hdfs.IDatanodeInfoProto {
  return { id: { ipAddr: '127.0.0.1', hostName: 'localhost', datanodeUuid: `dn-${port}`, xferPort: port, infoPort: 0, ipcPort: 0 } };
}

export interface WriteOptions {
  blockId: number;
  generationStamp?: number;
  data: Buffer;
  targets?: number[];
  checksum?: ChecksumSpec;
  stage?: hadoop.hdfs.OpWriteBlockProto.BlockConstructionStage;
  /** Flip a checksum byte of the packet with this seqno (1-based, as the Go client counts). */
  corruptSeqno?: number;
  packetSize?: number;
  /** Append: the block's current length; the first packet ends at a chunk boundary, as the Go client aligns. */
  appendAt?: number;
  /** Leave like a crashed writer: no final packet, the replica stays RBW. */
  abandon?: boolean;
}

export interface WriteResult {
  response: hadoop.hdfs.BlockOpResponseProto;
  acks: hadoop.hdfs.PipelineAckProto[];
}

export async function writeBlock(port: number, o: WriteOptions): Promise<WriteResult> {
  const spec = o.checksum ?? CRC32C_512;
  const { socket, reader } = await dial(port);
  try {
    const op: hadoop.hdfs.IOpWriteBlockProto = {
      header: { baseHeader: { block: { poolId: POOL, blockId: Long.fromNumber(o.blockId, true), generationStamp: o.generationStamp ?? 1001, numBytes: o.appendAt ?? 0 } }, clientName: 'test-client' },
      targets: (o.targets ?? []).map(datanodeInfo),
      stage: o.stage ?? Stage.PIPELINE_SETUP_CREATE,
      pipelineSize: (o.targets ?? []).length + 1,
      minBytesRcvd: o.appendAt ?? 0,
      maxBytesRcvd: o.appendAt ?? 0,
      latestGenerationStamp: o.appendAt === undefined ? 0 : (o.generationStamp ?? 1001),
      requestedChecksum: { type: spec.type, bytesPerChecksum: spec.bytesPerChecksum },
    };
    socket.write(encodeOpRequest(Op.WRITE_BLOCK, hadoop.hdfs.OpWriteBlockProto.encode(op).finish()));
    const response = await reader.message(hadoop.hdfs.BlockOpResponseProto);
    const acks: hadoop.hdfs.PipelineAckProto[] = [];
    if (response.status !== hadoop.hdfs.Status.SUCCESS) return { response, acks };
    const packetSize = o.packetSize ?? 65536;
    let seqno = 1;
    let sent = 0;
    const base = o.appendAt ?? 0;
    for (let pos = 0; pos < o.data.length; ) {
      const misalignment = (base + pos) % spec.bytesPerChecksum;
      const size = misalignment > 0 ? Math.min(packetSize, spec.bytesPerChecksum - misalignment) : packetSize;
      const data = o.data.subarray(pos, pos + size);
      const checksums = computeChunkChecksums(spec, data);
      if (seqno === o.corruptSeqno) checksums[0]! ^= 0xff;
      socket.write(encodePacket({ offsetInBlock: base + pos, seqno: seqno++, lastPacketInBlock: false, syncBlock: false, checksums, data }));
      sent++;
      pos += data.length;
    }
    const empty = Buffer.alloc(0);
    if (!o.abandon) {
      socket.write(encodePacket({ offsetInBlock: base + o.data.length, seqno: seqno++, lastPacketInBlock: true, syncBlock: false, checksums: empty, data: empty }));
      sent++;
    }
    for (let i = 0; i < sent; i++) {
      const ack = await reader.message(hadoop.hdfs.PipelineAckProto).catch(() => undefined);
      if (!ack) break;
      acks.push(ack);
      if (ack.reply.some((s) => s !== hadoop.hdfs.Status.SUCCESS)) break;
    }
    return { response, acks };
  } finally {
    socket.destroy();
  }
}

export interface ReadResult {
  response: hadoop.hdfs.BlockOpResponseProto;
  data: Buffer;
}

/** Reads [offset, offset+length), verifying every chunk, and drops the chunk-alignment prefix. */
export async function readBlock(
  port: number,
  blockId: number,
  offset: number,
  length: number,
  access: { poolId?: string; token?: hadoop.common.ITokenProto } = {},
  localAddress?: string,
): Promise<ReadResult> {
  const { socket, reader } = await dial(port, localAddress);
  try {
    const block = { poolId: access.poolId ?? POOL, blockId: Long.fromNumber(blockId, true), generationStamp: 0 };
    const op: hadoop.hdfs.IOpReadBlockProto = {
      header: { baseHeader: { block, ...(access.token ? { token: access.token } : {}) }, clientName: 'test-client' },
      offset,
      len: length,
    };
    socket.write(encodeOpRequest(Op.READ_BLOCK, hadoop.hdfs.OpReadBlockProto.encode(op).finish()));
    const response = await reader.message(hadoop.hdfs.BlockOpResponseProto);
    if (response.status !== hadoop.hdfs.Status.SUCCESS) return { response, data: Buffer.alloc(0) };
    const info = response.readOpChecksumInfo!;
    const spec = { type: info.checksum.type as ChecksumSpec['type'], bytesPerChecksum: info.checksum.bytesPerChecksum };
    const chunkOffset = Number(info.chunkOffset.toString());
    const parts: Buffer[] = [];
    for (;;) {
      const packet = await reader.packet();
      if (packet.data.length > 0 && findChecksumMismatch(spec, packet.data, packet.checksums) >= 0) throw new Error('bad checksum from datanode');
      parts.push(packet.data);
      if (packet.lastPacketInBlock) break;
    }
    socket.write(encodeDelimited(hadoop.hdfs.ClientReadStatusProto.encode({ status: hadoop.hdfs.Status.CHECKSUM_OK }).finish()));
    const all = Buffer.concat(parts);
    return { response, data: all.subarray(offset - chunkOffset, offset - chunkOffset + length) };
  } finally {
    socket.destroy();
  }
}

export interface BlockChecksumAccess {
  readonly poolId?: string;
  readonly token?: hadoop.common.ITokenProto;
  readonly generationStamp?: number;
  readonly options?: hadoop.hdfs.IBlockChecksumOptionsProto;
}

export async function blockChecksum(port: number, blockId: number, numBytes?: number | Long, access: BlockChecksumAccess = {}): Promise<hadoop.hdfs.BlockOpResponseProto> {
  const { socket, reader } = await dial(port);
  try {
    const block: hadoop.hdfs.IExtendedBlockProto = { poolId: access.poolId ?? POOL, blockId: Long.fromNumber(blockId, true), generationStamp: access.generationStamp ?? 0 };
    if (numBytes !== undefined) block.numBytes = numBytes;
    const op: hadoop.hdfs.IOpBlockChecksumProto = { header: { block, ...(access.token ? { token: access.token } : {}) }, ...(access.options ? { blockChecksumOptions: access.options } : {}) };
    socket.write(encodeOpRequest(Op.BLOCK_CHECKSUM, hadoop.hdfs.OpBlockChecksumProto.encode(op).finish()));
    return await reader.message(hadoop.hdfs.BlockOpResponseProto);
  } finally {
    socket.destroy();
  }
}

/** Targets by port on loopback, or as any DatanodeInfoProto a peer could send. */
export async function transferBlock(port: number, blockId: number, targets: (number | hadoop.hdfs.IDatanodeInfoProto)[]): Promise<hadoop.hdfs.BlockOpResponseProto> {
  const { socket, reader } = await dial(port);
  try {
    const op: hadoop.hdfs.IOpTransferBlockProto = {
      header: { baseHeader: { block: { poolId: POOL, blockId: Long.fromNumber(blockId, true), generationStamp: 0 } }, clientName: 'test-client' },
      targets: targets.map((t) => (typeof t === 'number' ? datanodeInfo(t) : t)),
    };
    socket.write(encodeOpRequest(Op.TRANSFER_BLOCK, hadoop.hdfs.OpTransferBlockProto.encode(op).finish()));
    return await reader.message(hadoop.hdfs.BlockOpResponseProto);
  } finally {
    socket.destroy();
  }
}

export interface OpenWriteOptions {
  blockId: number;
  /** The block's stamp in the op header (what the writer last knew). */
  generationStamp: number;
  stage: hadoop.hdfs.OpWriteBlockProto.BlockConstructionStage;
  latestGenerationStamp?: number | Long;
  minBytesRcvd?: number;
  maxBytesRcvd?: number;
  /** '' is a datanode replicating a block. */
  clientName?: string;
  checksum?: ChecksumSpec;
  targets?: hadoop.hdfs.IDatanodeInfoProto[];
  localAddress?: string;
}

/**
 * A write kept open packet by packet, for the patterns writeBlock does not
 * make: hflush/hsync (each packet acknowledged before the next), a writer
 * still at work while another connection acts on its block.
 */
export class OpenWrite {
  #seqno = 1;

  private constructor(readonly socket: Socket, readonly reader: StreamReader, readonly response: hadoop.hdfs.BlockOpResponseProto, readonly spec: ChecksumSpec) {}

  static async open(port: number, o: OpenWriteOptions): Promise<OpenWrite> {
    const spec = o.checksum ?? CRC32C_512;
    const { socket, reader } = await dial(port, o.localAddress);
    const op: hadoop.hdfs.IOpWriteBlockProto = {
      header: { baseHeader: { block: { poolId: POOL, blockId: Long.fromNumber(o.blockId, true), generationStamp: o.generationStamp, numBytes: o.minBytesRcvd ?? 0 } }, clientName: o.clientName ?? 'test-client' },
      targets: o.targets ?? [],
      stage: o.stage,
      pipelineSize: (o.targets ?? []).length + 1,
      minBytesRcvd: o.minBytesRcvd ?? 0,
      maxBytesRcvd: o.maxBytesRcvd ?? 0,
      latestGenerationStamp: o.latestGenerationStamp ?? o.generationStamp,
      requestedChecksum: { type: spec.type, bytesPerChecksum: spec.bytesPerChecksum },
    };
    socket.write(encodeOpRequest(Op.WRITE_BLOCK, hadoop.hdfs.OpWriteBlockProto.encode(op).finish()));
    // A refused replication gets no response: the datanode just closes.
    const response = await reader.message(hadoop.hdfs.BlockOpResponseProto).catch(() => hadoop.hdfs.BlockOpResponseProto.create({ status: hadoop.hdfs.Status.ERROR, message: 'closed' }));
    return new OpenWrite(socket, reader, response, spec);
  }

  /** Sends `data` at `offset` as one packet and waits for its ack. */
  async packet(offset: number, data: Buffer, flags: { sync?: boolean; last?: boolean } = {}): Promise<hadoop.hdfs.PipelineAckProto> {
    const checksums = computeChunkChecksums(this.spec, data);
    this.socket.write(encodePacket({ offsetInBlock: offset, seqno: this.#seqno++, lastPacketInBlock: flags.last ?? false, syncBlock: flags.sync ?? false, checksums, data }));
    return this.reader.message(hadoop.hdfs.PipelineAckProto);
  }

  close(): void {
    this.socket.destroy();
  }
}
