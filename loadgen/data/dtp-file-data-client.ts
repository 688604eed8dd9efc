import { int64ToNumber } from '../../protocol/long-values';
import type { FileDataClient } from '../file-data-client';
import type { NamenodeClient } from '../../protocol/client/namenode-client';
import { writeFileBlocks, type FileSource } from '../../protocol/client/file-writer';
import { readBlock } from '../../protocol/client/block-reader';
import { ShortReadError } from '../../protocol/client/data-errors';
import { patternBytes } from './file-pattern';
import { completeWithBackoff } from '../../protocol/client/locate-following-block';

export interface DtpFileDataOptions {
  /** Block size asked for at create. */
  readonly blockSize: number;
  /** Replication asked for at create: the pipeline's length. */
  readonly replication: number;
  readonly connectTimeoutMs?: number;
  readonly socketTimeoutMs?: number;
}

/** dfs.client.socket-timeout. */
const SOCKET_TIMEOUT_MS = 60_000;
const CONNECT_TIMEOUT_MS = 10_000;
/** dfs.client.read.prefetch.size: ten blocks' locations per getBlockLocations. */
const PREFETCH_BLOCKS = 10;

/**
 * Files with real bytes on real datanodes, through DataTransferProtocol:
 * the namenode's calls of a Hadoop client around WRITE_BLOCK pipelines and
 * READ_BLOCK reads. Every byte written is the shared file pattern.
 */
export class DtpFileDataClient implements FileDataClient {
  readonly description: string;
  readonly #o: Required<DtpFileDataOptions>;

  constructor(o: DtpFileDataOptions) {
    this.#o = { connectTimeoutMs: CONNECT_TIMEOUT_MS, socketTimeoutMs: SOCKET_TIMEOUT_MS, ...o };
    this.description =
      `real data over DataTransferProtocol: a write is create, then per block addBlock + a WRITE_BLOCK pipeline of ${o.replication} ` +
      `(CRC32C per 512 bytes, 64 KiB packets, every ack awaited), then complete; a read is getBlockLocations, then READ_BLOCK ` +
      `of every block with its checksums verified; block size ${o.blockSize} bytes`;
  }

  async writeFile(client: NamenodeClient, path: string, bytes: number): Promise<void> {
    await client.create(path, { overwrite: true, blockSize: this.#o.blockSize, replication: this.#o.replication });
    let written = 0;
    const source: FileSource = {
      ended: () => Promise.resolve(written >= bytes),
      read: (max) => {
        const n = Math.min(max, bytes - written);
        const data = patternBytes(written, n);
        written += n;
        return Promise.resolve(data);
      },
    };
    const last = await writeFileBlocks({ client, path, blockSize: this.#o.blockSize, source, ...this.#timeouts() });
    await completeWithBackoff(client, path, last);
  }

  async readFile(client: NamenodeClient, path: string): Promise<number> {
    const prefetch = PREFETCH_BLOCKS * this.#o.blockSize;
    let located = await client.getBlockLocations(path, 0, prefetch);
    const fileLength = int64ToNumber(located?.fileLength ?? 0);
    let read = 0;
    while (located && read < fileLength) {
      const before = read;
      for (const lb of located.blocks ?? []) {
        const offset = int64ToNumber(lb.offset);
        // A later fetch may start with a block already read.
        if (offset < read) continue;
        if (offset > read) throw new ShortReadError(`${path}: no block covers offset ${read}`);
        read += await readBlock({ located: lb, clientName: client.clientName, ...this.#timeouts() });
      }
      if (read === before) break;
      // Past the blocks the open prefetched: ask for the locations of the rest.
      if (read < fileLength) located = await client.getBlockLocations(path, read, prefetch);
    }
    if (read !== fileLength) throw new ShortReadError(`${path}: read ${read} of ${fileLength} bytes`);
    return read;
  }

  #timeouts(): { connectTimeoutMs: number; socketTimeoutMs: number } {
    return { connectTimeoutMs: this.#o.connectTimeoutMs, socketTimeoutMs: this.#o.socketTimeoutMs };
  }
}
