import { putVarint, varintSize } from './varint-writer';
import { IPC_VERSION } from './wire-constants';

/*
 * The answer frame every successful call gets, written straight into one
 * buffer: no header object, no protobufjs Writer, no intermediate arrays.
 * The bytes are exactly what RpcResponseHeaderProto.encodeDelimited (fields
 * in field-number order) followed by the length-delimited body gives:
 *
 *   length (uint32 BE) | varint hlen | 08 callId | 10 00 | 18 09 | [3a len clientId] | 40 zigzag(retryCount) | varint blen | body
 */

/** A successful call's answer frame; `callId` is the signed id the client sent, `retryCount` defaults to -1. */
export function successFrame(callId: number, clientId: Uint8Array | undefined, retryCount: number | undefined, body: Uint8Array): Buffer {
  const id = callId >>> 0;
  const retry = (((retryCount ?? -1) << 1) ^ ((retryCount ?? -1) >> 31)) >>> 0;
  const headerBytes =
    1 + varintSize(id) + 2 + 1 + varintSize(IPC_VERSION) +
    (clientId === undefined ? 0 : 1 + varintSize(clientId.length) + clientId.length) +
    1 + varintSize(retry);
  const payload = varintSize(headerBytes) + headerBytes + varintSize(body.length) + body.length;
  const out = Buffer.allocUnsafe(4 + payload);
  out.writeUInt32BE(payload, 0);
  let at = putVarint(out, 4, headerBytes);
  out[at++] = 0x08; // callId, varint
  at = putVarint(out, at, id);
  out[at++] = 0x10; // status = SUCCESS
  out[at++] = 0x00;
  out[at++] = 0x18; // serverIpcVersionNum
  at = putVarint(out, at, IPC_VERSION);
  if (clientId !== undefined) {
    out[at++] = 0x3a; // clientId, length-delimited
    at = putVarint(out, at, clientId.length);
    out.set(clientId, at);
    at += clientId.length;
  }
  out[at++] = 0x40; // retryCount, zigzag varint
  at = putVarint(out, at, retry);
  at = putVarint(out, at, body.length);
  out.set(body, at);
  return out;
}
