import type { Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { encodeOpRequest, Op } from '../../protocol/datatransfer/op-codec';
import { connectTo, writeAll, xferAddress } from '../../protocol/datatransfer/socket-io';
import { StreamReader } from '../../protocol/datatransfer/stream-reader';
import type { TransferContext } from './transfer-context';

const { Status } = hadoop.hdfs;

/** The next datanode of a write pipeline. */
export interface Mirror {
  readonly socket: Socket;
  readonly reader: StreamReader;
  readonly address: string;
}

export type MirrorSetup =
  | { ok: true; mirror: Mirror }
  | { ok: false; firstBadLink: string; message: string };

/**
 * Connects to targets[0] and sends it the same WRITE_BLOCK minus itself, as
 * Hadoop's DataXceiver does. When the writer expects an op response, the
 * mirror's is awaited so a failure anywhere downstream is reported upstream
 * as firstBadLink before any data flows.
 */
export async function setUpMirror(ctx: TransferContext, op: hadoop.hdfs.OpWriteBlockProto, expectResponse: boolean): Promise<MirrorSetup> {
  const target = op.targets[0]!;
  const { host, port, address } = xferAddress(target.id);
  let socket: Socket;
  try {
    socket = await connectTo(host, port, ctx.connectTimeoutMs);
  } catch (err) {
    return { ok: false, firstBadLink: address, message: err instanceof Error ? err.message : String(err) };
  }
  socket.setTimeout(ctx.socketTimeoutMs, () => socket.destroy());
  const reader = new StreamReader(socket);
  const downstream: hadoop.hdfs.IOpWriteBlockProto = {
    ...op,
    targets: op.targets.slice(1),
    targetStorageTypes: op.targetStorageTypes.slice(1),
    targetStorageIds: op.targetStorageIds.slice(1),
    targetPinnings: op.targetPinnings.slice(1),
    ...(op.targetStorageTypes[0] !== undefined ? { storageType: op.targetStorageTypes[0] } : {}),
    ...(op.targetStorageIds[0] !== undefined ? { storageId: op.targetStorageIds[0] } : {}),
  };
  try {
    await writeAll(socket, encodeOpRequest(Op.WRITE_BLOCK, hadoop.hdfs.OpWriteBlockProto.encode(downstream).finish()));
    if (expectResponse) {
      const response = await reader.message(hadoop.hdfs.BlockOpResponseProto);
      if (response.status !== Status.SUCCESS) {
        socket.destroy();
        return { ok: false, firstBadLink: response.firstBadLink || address, message: response.message || 'downstream refused the write' };
      }
    }
  } catch (err) {
    socket.destroy();
    return { ok: false, firstBadLink: address, message: err instanceof Error ? err.message : String(err) };
  }
  return { ok: true, mirror: { socket, reader, address } };
}
