import type { Socket } from 'node:net';
import type { StreamReader } from '../../protocol/datatransfer/stream-reader';

/** The connection to the next datanode of a write pipeline, and the reader of what it answers. */
export interface Mirror {
  readonly socket: Socket;
  readonly reader: StreamReader;
  /** `ip:xferPort` as dialled, and as firstBadLink names it. */
  readonly address: string;
}
