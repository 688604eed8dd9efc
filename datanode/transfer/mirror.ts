import type { Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { encodeOpRequest, Op } from '../../protocol/datatransfer/op-codec';
import { connectTo, writeAll, xferAddress } from '../../protocol/datatransfer/socket-io';
import { StreamReader } from '../../protocol/datatransfer/stream-reader';
import { ProtocolError } from '../../protocol/datatransfer/wire-errors';
import type { Mirror } from './mirror-connection';
import type { TransferContext } from './transfer-context';

const { Status } = hadoop.hdfs;

export type { Mirror } from './mirror-connection';

export type MirrorSetup =
  | { ok: true; mirror: Mirror }
  | { ok: false; firstBadLink: string; message: string };

/**
 * Connects to targets[0] and sends it the same WRITE_BLOCK minus itself, as
 * Hadoop's DataXceiver does. When the writer expects an op response, the
 * mirror's is awaited so a failure anywhere downstream is reported upstream
 * as firstBadLink before any data flows. Such a write may go over an idle
 * connection of the pool (one an earlier block's pipeline ended cleanly);
 * if that connection turns out closed before any answer, the op goes once
 * more over a new one.
 */
export async function setUpMirror(ctx: TransferContext, op: hadoop.hdfs.OpWriteBlockProto, expectResponse: boolean): Promise<MirrorSetup> {
  const { host, port, address } = xferAddress(op.targets[0]!.id);
  const request = encodeOpRequest(Op.WRITE_BLOCK, hadoop.hdfs.OpWriteBlockProto.encode(downstreamOp(op)).finish());
  const pooled = expectResponse ? ctx.mirrors?.take(address) : undefined;
  if (pooled) {
    const reused = await offer(pooled, request, true);
    if (reused.ok || reused.answered) return reused;
  }
  let socket: Socket;
  try {
    socket = await connectTo(host, port, ctx.connectTimeoutMs);
  } catch (err) {
    return { ok: false, firstBadLink: address, message: err instanceof Error ? err.message : String(err) };
  }
  socket.setTimeout(ctx.socketTimeoutMs, () => socket.destroy());
  return offer({ socket, reader: new StreamReader(socket), address }, request, expectResponse);
}

/**
 * Sends the op and awaits the downstream's answer. `answered: false`: the
 * connection failed before the downstream answered (an idle one it had
 * closed), so the op may go again over a new connection.
 */
async function offer(mirror: Mirror, request: Uint8Array, expectResponse: boolean): Promise<MirrorSetup & { answered?: boolean }> {
  const { socket, reader, address } = mirror;
  try {
    await writeAll(socket, request);
    if (expectResponse) {
      const response = await reader.message(hadoop.hdfs.BlockOpResponseProto);
      if (response.status !== Status.SUCCESS) {
        socket.destroy();
        return { ok: false, answered: true, firstBadLink: response.firstBadLink || address, message: response.message || 'downstream refused the write' };
      }
    }
  } catch (err) {
    socket.destroy();
    return { ok: false, answered: err instanceof ProtocolError, firstBadLink: address, message: err instanceof Error ? err.message : String(err) };
  }
  return { ok: true, mirror };
}

/** The same WRITE_BLOCK for the rest of the pipeline: the first target becomes the receiver. */
function downstreamOp(op: hadoop.hdfs.OpWriteBlockProto): hadoop.hdfs.IOpWriteBlockProto {
  return {
    ...op,
    targets: op.targets.slice(1),
    targetStorageTypes: op.targetStorageTypes.slice(1),
    targetStorageIds: op.targetStorageIds.slice(1),
    targetPinnings: op.targetPinnings.slice(1),
    ...(op.targetStorageTypes[0] !== undefined ? { storageType: op.targetStorageTypes[0] } : {}),
    ...(op.targetStorageIds[0] !== undefined ? { storageId: op.targetStorageIds[0] } : {}),
  };
}
