import type { Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { int64ToNumber } from '../../protocol/long-values';
import type { ReplicaInfo, ReplicaWriter } from '../store/block-store';
import { AckQueue } from './ack-queue';
import { ChecksumType, chunkCount, CHECKSUM_SIZE, computeChunkChecksums, findChecksumMismatch, type ChecksumSpec } from '../../protocol/datatransfer/checksum';
import type { Mirror } from './mirror';
import type { Packet } from '../../protocol/datatransfer/packet-codec';
import { sendAck } from './responses';
import { writeAllv } from '../../protocol/datatransfer/socket-io';
import type { StreamReader } from '../../protocol/datatransfer/stream-reader';
import { ProtocolError } from '../../protocol/datatransfer/wire-errors';

const { Status } = hadoop.hdfs;

export class ChecksumMismatchError extends Error {
  constructor(blockId: number, offset: number) {
    super(`checksum error in block ${blockId} near offset ${offset}`);
    this.name = 'ChecksumMismatchError';
  }
}

export interface ReceiveOptions {
  readonly upstream: Socket;
  readonly reader: StreamReader;
  readonly writer: ReplicaWriter;
  readonly mirror: Mirror | undefined;
  /** The checksum the sender computes packets with. */
  readonly requested: ChecksumSpec;
  /** Client writes get one PipelineAckProto per packet; datanode transfers get none. */
  readonly sendsAcks: boolean;
  readonly finalizeAtEnd: boolean;
  /** Called with the end offset of each packet acknowledged upstream with every node's SUCCESS. */
  readonly onAcked?: (end: number) => void;
  /** Called as soon as the replica is finalized here, before the last packet's downstream acks. */
  readonly onFinalized?: (info: ReplicaInfo) => void;
}

interface AckEntry {
  seqno: number;
  status: hadoop.hdfs.Status;
  /** The packet's end offset in the block. */
  end: number;
  /** Settles once the packet is on this node's disk (never rejects: a failure is the receiver's to report). */
  stored: Promise<void>;
}

/** Packets whose disk write may be in flight at once: the socket keeps flowing while the disk catches up. */
const MAX_UNSTORED_PACKETS = 16;

/**
 * Receives packets until lastPacketInBlock. Each packet goes to the mirror
 * first, exactly as it came (no re-encoding), then is verified and handed
 * to the replica writer without waiting for the disk, so the next packet
 * is read (and forwarded) while this one is written — as Hadoop's
 * BlockReceiver mirrors before it writes. A packet is acknowledged
 * upstream once it is on this node's disk and the mirror has acknowledged
 * it; the ack lists this node's status followed by the downstream ones.
 * Hadoop finalizes before acknowledging the last packet, so a writer that
 * saw its last ack may complete the file.
 */
export async function receiveBlock(o: ReceiveOptions): Promise<ReplicaInfo> {
  const acks = new AckQueue<AckEntry>();
  const store = new PipelinedStore(o.writer);
  const responder = o.sendsAcks ? respond(o, acks, store) : Promise.resolve();
  let mirrorBroken = false;
  try {
    for (;;) {
      const packet = await o.reader.packet();
      if (o.mirror && !mirrorBroken) {
        // Not awaited unless the mirror's socket is full: its drain paces this loop.
        const forwarded = writeAllv(o.mirror.socket, packet.wire);
        if (o.mirror.socket.writableNeedDrain) await forwarded.catch(() => (mirrorBroken = true));
        else forwarded.catch(() => (mirrorBroken = true));
      }
      store.throwIfFailed();
      const stored = storePacket(o, store, packet);
      if (!stored) {
        acks.push({ seqno: packet.seqno, status: Status.ERROR_CHECKSUM, end: packet.offsetInBlock, stored: store.drained() });
        acks.close();
        await responder.catch(() => undefined);
        throw new ChecksumMismatchError(o.writer.info().blockId, packet.offsetInBlock);
      }
      const end = packet.offsetInBlock + packet.data.length;
      // hsync: durable before the ack says so (Hadoop's BlockReceiver flushOrSync).
      if (packet.syncBlock && !packet.lastPacketInBlock) {
        await store.drained();
        store.throwIfFailed();
        await o.writer.sync();
      }
      if (packet.lastPacketInBlock) {
        await store.drained();
        store.throwIfFailed();
        const info = o.finalizeAtEnd ? await o.writer.finalize() : await releaseWriter(o.writer);
        // Reported at once, not after the downstream acks: the writer's complete waits for the first copy.
        if (info.state === 'finalized') o.onFinalized?.(info);
        acks.push({ seqno: packet.seqno, status: Status.SUCCESS, end, stored: Promise.resolve() });
        acks.close();
        await responder;
        return info;
      }
      acks.push({ seqno: packet.seqno, status: Status.SUCCESS, end, stored });
      await store.room();
    }
  } catch (err) {
    acks.close();
    await responder.catch(() => undefined);
    await store.drained();
    throw err;
  }
}

/**
 * The replica writer's appends, issued without waiting for each (the
 * writer runs them in order), at most MAX_UNSTORED_PACKETS at a time. The
 * first failure is kept and thrown by the receive loop.
 */
class PipelinedStore {
  readonly #writer: ReplicaWriter;
  readonly #inFlight: Promise<void>[] = [];
  #failure: unknown;
  /** The replica's length once every issued append is done. */
  length: number;

  constructor(writer: ReplicaWriter) {
    this.#writer = writer;
    this.length = writer.info().numBytes;
  }

  append(data: Buffer, checksums: Buffer): Promise<void> {
    this.length += data.length;
    const done = this.#writer.append(data, checksums).catch((err: unknown) => {
      this.#failure ??= err;
    });
    this.#inFlight.push(done);
    void done.then(() => this.#inFlight.splice(this.#inFlight.indexOf(done), 1));
    return done;
  }

  throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }

  get failed(): boolean {
    return this.#failure !== undefined;
  }

  async room(): Promise<void> {
    while (this.#inFlight.length >= MAX_UNSTORED_PACKETS) await this.#inFlight[0];
  }

  async drained(): Promise<void> {
    await Promise.all(this.#inFlight);
  }
}

async function releaseWriter(writer: ReplicaWriter): Promise<ReplicaInfo> {
  await writer.release();
  return writer.info();
}

/**
 * Verifies one packet and issues its append; resolves when stored. Undefined
 * on a checksum mismatch (nothing of it is stored).
 */
function storePacket(o: ReceiveOptions, store: PipelinedStore, packet: Packet): Promise<void> | undefined {
  const { data, checksums } = packet;
  const verifies = o.requested.type !== ChecksumType.NULL;
  if (verifies && data.length > 0) {
    if (checksums.length !== chunkCount(data.length, o.requested.bytesPerChecksum) * CHECKSUM_SIZE) {
      throw new ProtocolError(`packet ${packet.seqno} carries ${checksums.length} checksum bytes for ${data.length} data bytes`);
    }
    if (findChecksumMismatch(o.requested, data, checksums) >= 0) return undefined;
  }
  if (packet.offsetInBlock > store.length) {
    throw new ProtocolError(`packet at offset ${packet.offsetInBlock} leaves a gap after ${store.length} bytes`);
  }
  // A resent packet (after hflush or recovery) may overlap what is stored.
  const skip = store.length - packet.offsetInBlock;
  if (skip >= data.length) return Promise.resolve();
  const fresh = data.subarray(skip);
  const spec = o.writer.info().checksum;
  const reusable = skip === 0 && verifies && sameSpec(o.requested, spec);
  return store.append(fresh, reusable ? checksums : computeChunkChecksums(spec, fresh));
}

function sameSpec(a: ChecksumSpec, b: ChecksumSpec): boolean {
  return a.type === b.type && a.bytesPerChecksum === b.bytesPerChecksum;
}

async function respond(o: ReceiveOptions, acks: AckQueue<AckEntry>, store: PipelinedStore): Promise<void> {
  for (;;) {
    const entry = await acks.take();
    if (!entry) return;
    await entry.stored;
    // The disk failed: no ack; the receive loop reports it and the writer sees the pipeline break.
    if (store.failed) return;
    const reply = [entry.status];
    if (o.mirror && entry.status === Status.SUCCESS) reply.push(...(await mirrorReply(o.mirror, entry.seqno)));
    await sendAck(o.upstream, entry.seqno, reply);
    if (reply.every((s) => s === Status.SUCCESS)) o.onAcked?.(entry.end);
    if (reply.some((s) => s !== Status.SUCCESS)) {
      // The writer now knows which node failed; it must set up a new pipeline.
      o.mirror?.socket.destroy();
      o.upstream.destroySoon();
      return;
    }
  }
}

async function mirrorReply(mirror: Mirror, seqno: number): Promise<hadoop.hdfs.Status[]> {
  try {
    const ack = await mirror.reader.message(hadoop.hdfs.PipelineAckProto);
    if (int64ToNumber(ack.seqno) !== seqno) return [Status.ERROR];
    return ack.reply;
  } catch {
    return [Status.ERROR];
  }
}
