import type { Socket } from 'node:net';
import type { hadoop } from '../../protocol/generated/hadoop';
import { encodeBlockOpResponse, encodePipelineAck } from '../../protocol/datatransfer/response-codec';
import { writeAll } from '../../protocol/datatransfer/socket-io';

/** BlockOpResponseProto, varint-delimited: the first answer to every op. */
export function sendResponse(socket: Socket, response: hadoop.hdfs.IBlockOpResponseProto): Promise<void> {
  return writeAll(socket, encodeBlockOpResponse(response));
}

/** PipelineAckProto, varint-delimited: one per write packet. */
export function sendAck(socket: Socket, seqno: number, reply: hadoop.hdfs.Status[]): Promise<void> {
  return writeAll(socket, encodePipelineAck(seqno, reply));
}
