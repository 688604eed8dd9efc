import type { Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { computeChunkChecksums, DEFAULT_CHECKSUM } from '../../protocol/datatransfer/checksum';
import { encodeOpRequest, Op } from '../../protocol/datatransfer/op-codec';
import { encodePacket } from '../../protocol/datatransfer/packet-codec';
import { connectTo, writeAll, xferAddress } from '../../protocol/datatransfer/socket-io';
import { StreamReader } from '../../protocol/datatransfer/stream-reader';
import { int64ToNumber } from '../../protocol/long-values';
import type { LocatedBlock } from '../../protocol/client/namenode-client';

const Stage = hadoop.hdfs.OpWriteBlockProto.BlockConstructionStage;

/**
 * A block written as a Hadoop client writes around hflush/hsync: the
 * pipeline addBlock gave, its token passed through, and each packet
 * acknowledged before the next is sent (so a test can act between two).
 */
export class SyncedBlockWrite {
  #seqno = 0;

  private constructor(
    readonly socket: Socket,
    readonly reader: StreamReader,
    readonly response: hadoop.hdfs.BlockOpResponseProto,
  ) {}

  static async open(located: LocatedBlock, clientName: string): Promise<SyncedBlockWrite> {
    const locs = located.locs ?? [];
    const first = locs[0];
    if (!first) throw new Error('addBlock gave no datanode');
    const { host, port } = xferAddress(first.id);
    const socket = await connectTo(host, port, 10_000);
    const reader = new StreamReader(socket);
    const op: hadoop.hdfs.IOpWriteBlockProto = {
      header: { baseHeader: { block: { ...located.b, numBytes: 0 }, token: located.blockToken }, clientName },
      targets: locs.slice(1),
      stage: Stage.PIPELINE_SETUP_CREATE,
      pipelineSize: locs.length,
      minBytesRcvd: 0,
      maxBytesRcvd: 0,
      latestGenerationStamp: located.b.generationStamp,
      requestedChecksum: { type: DEFAULT_CHECKSUM.type, bytesPerChecksum: DEFAULT_CHECKSUM.bytesPerChecksum },
      ...(located.storageIDs?.[0] !== undefined ? { storageId: located.storageIDs[0] } : {}),
    };
    await writeAll(socket, encodeOpRequest(Op.WRITE_BLOCK, hadoop.hdfs.OpWriteBlockProto.encode(op).finish()));
    return new SyncedBlockWrite(socket, reader, await reader.message(hadoop.hdfs.BlockOpResponseProto));
  }

  /** `data` at `offset` (a chunk boundary) as one packet; resolves with its ack (keep-alive acks skipped). */
  async packet(offset: number, data: Buffer, flags: { sync?: boolean; last?: boolean } = {}): Promise<hadoop.hdfs.PipelineAckProto> {
    const seqno = this.#seqno++;
    const checksums = computeChunkChecksums(DEFAULT_CHECKSUM, data);
    await writeAll(this.socket, encodePacket({ offsetInBlock: offset, seqno, lastPacketInBlock: flags.last ?? false, syncBlock: flags.sync ?? false, checksums, data }));
    for (;;) {
      const ack = await this.reader.message(hadoop.hdfs.PipelineAckProto);
      if (int64ToNumber(ack.seqno) === seqno) return ack;
    }
  }

  close(): void {
    this.socket.destroy();
  }
}
