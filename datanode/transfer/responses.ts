import type { Socket } from 'node:net';
import { hadoop } from '../../protocol/generated/hadoop';
import { encodeDelimited } from './op-codec';
import { writeAll } from './socket-io';

/** BlockOpResponseProto, varint-delimited: the first answer to every op. */
export function sendResponse(socket: Socket, response: hadoop.hdfs.IBlockOpResponseProto): Promise<void> {
  return writeAll(socket, encodeDelimited(hadoop.hdfs.BlockOpResponseProto.encode(response).finish()));
}

/** PipelineAckProto, varint-delimited: one per write packet. */
export function sendAck(socket: Socket, seqno: number, reply: hadoop.hdfs.Status[]): Promise<void> {
  return writeAll(socket, encodeDelimited(hadoop.hdfs.PipelineAckProto.encode({ seqno, reply }).finish()));
}
