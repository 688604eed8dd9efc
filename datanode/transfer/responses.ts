import type { Socket } from 'node:net';
import type { hadoop } from '../../protocol/generated/hadoop';
import { encodeBlockOpResponse, encodePipelineAck } from '../../protocol/datatransfer/response-codec';
import { writeAll } from '../../protocol/datatransfer/socket-io';

/** BlockOpResponseProto, varint-delimited: the first answer to every op. */
export function sendResponse(socket: Socket, response: hadoop.hdfs.IBlockOpResponseProto): Promise<void> {
  return writeAll(socket, encodeBlockOpResponse(response));
}

/**
 * PipelineAckProto, varint-delimited: one per write packet. Acks sent in
 * the same tick (a mirror's acks often arrive several to a read) leave in
 * one write: the socket is corked until the tick ends.
 */
export function sendAck(socket: Socket, seqno: number, reply: hadoop.hdfs.Status[]): Promise<void> {
  if (socket.writableCorked === 0 && !socket.destroyed) {
    socket.cork();
    process.nextTick(() => socket.uncork());
  }
  return writeAll(socket, encodePipelineAck(seqno, reply));
}
