import { hadoop } from '../generated/hadoop';
import { encodeDelimited } from './op-codec';

/**
 * The datanode's first answer to every op, and the close-ack of a transfer
 * (DNTransferAckProto has the same leading status field):
 *
 * ```
 * +----------------------+-----------------------------------------------+
 * | varint message size  | BlockOpResponseProto (status, firstBadLink,   |
 * |                      | message, checksumResponse, readOpChecksumInfo)|
 * +----------------------+-----------------------------------------------+
 * ```
 */
export function encodeBlockOpResponse(response: hadoop.hdfs.IBlockOpResponseProto): Buffer {
  return encodeDelimited(hadoop.hdfs.BlockOpResponseProto.encode(response).finish());
}

/**
 * One acknowledgement per write packet, upstream along the pipeline:
 *
 * ```
 * +----------------------+-----------------------------------------------+
 * | varint message size  | PipelineAckProto (seqno, reply: this node's   |
 * |                      | status, then each downstream node's)          |
 * +----------------------+-----------------------------------------------+
 * ```
 */
export function encodePipelineAck(seqno: number, reply: hadoop.hdfs.Status[]): Buffer {
  return encodeDelimited(hadoop.hdfs.PipelineAckProto.encode({ seqno, reply }).finish());
}
