import { putVarint } from '../../protocol/ipc/varint-writer';
import type { FileStatus } from '../domain/file-status';
import { lengthPrefixed, measureStatus, putStatus } from '../wire/status-writer';

/*
 * GetFileInfoResponseProto (and GetFileLinkInfoResponseProto, the same
 * shape), written straight into one buffer with the shared
 * HdfsFileStatusProto writer (status-writer.ts): getFileInfo is the
 * namenode's most frequent call. The bytes are exactly what protobufjs
 * gives for `{ fs: status ? toStatusProto(status) : null }`
 * (test/namenode/unit/file-info-response-codec.test.ts):
 *
 *   GetFileInfoResponseProto  0a len HdfsFileStatusProto    (absent: no such path, the empty message)
 */

/** The response's bytes for a status, or for `undefined` (no such path) the empty message. */
export function encodeFileInfoResponse(status: FileStatus | undefined): Uint8Array {
  if (!status) return new Uint8Array(0);
  const m = measureStatus(status);
  const out = Buffer.allocUnsafe(1 + lengthPrefixed(m.size));
  out[0] = 0x0a;
  putStatus(out, putVarint(out, 1, m.size), status, m);
  return out;
}
