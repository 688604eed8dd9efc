import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBlockRange } from '../../protocol/client/block-reader';
import { fileChecksum } from '../../protocol/client/file-checksum';
import { writeFileBlocks } from '../../protocol/client/file-writer';
import { completeWithBackoff } from '../../protocol/client/locate-following-block';
import { writeBlock } from '../../protocol/client/block-writer';
import type { ExtendedBlock, LocatedBlock, NamenodeClient } from '../../protocol/client/namenode-client';
import { int64ToNumber } from '../../protocol/long-values';
import type { WebHdfsParams } from '../../protocol/webhdfs/webhdfs-params';
import { DatanodeIOError } from './datanode-webhdfs-error';
import { RequestBodySource } from './request-body-source';

/** dfs.replication and dfs.blocksize: a CREATE that names neither gets HDFS's defaults. */
const DEFAULT_REPLICATION = 3;
const DEFAULT_BLOCK_SIZE = 128 * 1024 * 1024;
const MAX_LONG = Number.MAX_SAFE_INTEGER;
/** CreateFlagProto.APPEND. */
const APPEND = 4;

export interface DataOpContext {
  readonly client: NamenodeClient;
  /** The HDFS path, decoded. */
  readonly path: string;
  readonly params: WebHdfsParams;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly connectTimeoutMs: number;
  readonly socketTimeoutMs: number;
}

/**
 * CREATE, step two: the body becomes the file, block by block through
 * WRITE_BLOCK pipelines with CRC32C per 512 bytes, exactly as a Java
 * client writes; 201 with the file's hdfs:// URI once complete succeeds.
 */
export async function createFile(c: DataOpContext): Promise<void> {
  const blockSize = c.params.int('blocksize', DEFAULT_BLOCK_SIZE, 1, MAX_LONG);
  await c.client.create(c.path, {
    overwrite: c.params.bool('overwrite', false),
    createParent: c.params.bool('createparent', true),
    replication: c.params.int('replication', DEFAULT_REPLICATION, 1, 0x7fff),
    blockSize,
    permission: c.params.permission('permission', 0o644),
  });
  await writeBody(c, blockSize, undefined);
  c.res.writeHead(201, { Location: `hdfs://${c.client.address}${c.path}`, 'Content-Length': 0 });
  c.res.end();
}

/**
 * APPEND, step two, as DFSOutputStream appends: the file is reopened; a
 * partial last block is continued in place (updateBlockForPipeline's new
 * stamp, a PIPELINE_SETUP_APPEND pipeline over its replicas,
 * updatePipeline), the rest of the body goes into new blocks; 200 once
 * complete succeeds.
 */
export async function appendFile(c: DataOpContext): Promise<void> {
  c.params.int('buffersize', 4096, 1, 0x7fffffff);
  const lastBlock = await c.client.append(c.path, APPEND);
  const status = await c.client.getFileInfo(c.path);
  const blockSize = int64ToNumber(status?.blocksize ?? DEFAULT_BLOCK_SIZE);
  const source = new RequestBodySource(c.req);
  let previous: ExtendedBlock | undefined;
  if (lastBlock) {
    previous = lastBlock.b;
    if (!(await source.ended())) previous = await continueLastBlock(c, lastBlock, blockSize, source);
  }
  await writeBody(c, blockSize, previous, source);
  c.res.writeHead(200, { 'Content-Length': 0 });
  c.res.end();
}

async function continueLastBlock(c: DataOpContext, last: LocatedBlock, blockSize: number, source: RequestBodySource): Promise<ExtendedBlock> {
  const bytesOnDisk = int64ToNumber(last.b.numBytes ?? 0);
  const updated = await c.client.updateBlockForPipeline(last.b);
  const newBlock = { ...last.b, generationStamp: updated.b.generationStamp };
  const length = await writeBlock({
    located: { ...last, blockToken: updated.blockToken },
    clientName: c.client.clientName,
    next: (offset, max) => (offset >= blockSize ? Buffer.alloc(0) : source.read(Math.min(max, blockSize - offset))),
    connectTimeoutMs: c.connectTimeoutMs,
    socketTimeoutMs: c.socketTimeoutMs,
    append: {
      bytesOnDisk,
      newGenerationStamp: updated.b.generationStamp,
      afterSetup: () => c.client.updatePipeline(last.b, newBlock, last.locs ?? [], last.storageIDs ?? []),
    },
  });
  return { ...newBlock, numBytes: length };
}

async function writeBody(c: DataOpContext, blockSize: number, previous: ExtendedBlock | undefined, source = new RequestBodySource(c.req)): Promise<void> {
  const last = await writeFileBlocks({ client: c.client, path: c.path, blockSize, source, previous, connectTimeoutMs: c.connectTimeoutMs, socketTimeoutMs: c.socketTimeoutMs });
  await completeWithBackoff(c.client, c.path, last);
}

/**
 * OPEN, step two: bytes [offset, offset + length) of the file, read block
 * by block with READ_BLOCK, every chunk checked against its checksum
 * before it is sent; the answer's length is known up front.
 */
export async function openFile(c: DataOpContext): Promise<void> {
  const offset = c.params.int('offset', 0, 0, MAX_LONG);
  const length = c.params.int('length', MAX_LONG, 0, MAX_LONG);
  c.params.int('buffersize', 4096, 1, 0x7fffffff);
  let located = await c.client.getBlockLocations(c.path, offset, Math.max(1, length));
  if (!located) throw new DatanodeIOError('java.io.FileNotFoundException', `File does not exist: ${c.path}`);
  const fileLength = int64ToNumber(located.fileLength);
  // DFSInputStream.seek past the end.
  if (offset > fileLength) throw new DatanodeIOError('java.io.EOFException', `Cannot seek after EOF: offset ${offset} > file length ${fileLength}`);
  const end = Math.min(fileLength, offset + length);
  c.res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': end - offset });
  let position = offset;
  while (position < end) {
    const before = position;
    for (const lb of located?.blocks ?? []) {
      const start = int64ToNumber(lb.offset);
      const size = int64ToNumber(lb.b.numBytes ?? 0);
      if (start + size <= position || start > position) continue;
      const n = Math.min(start + size, end) - position;
      await readBlockRange({ located: lb, clientName: c.client.clientName, connectTimeoutMs: c.connectTimeoutMs, socketTimeoutMs: c.socketTimeoutMs }, position - start, n, (bytes) => writeResponse(c.res, bytes));
      position += n;
    }
    if (position === before) throw new DatanodeIOError('java.io.IOException', `${c.path}: no block covers offset ${position}`);
    if (position < end) located = await c.client.getBlockLocations(c.path, position, end - position);
  }
  c.res.end();
}

/** One write, waiting for the client to drain it; a client that went away ends the read. */
function writeResponse(res: ServerResponse, bytes: Buffer): Promise<void> | undefined {
  if (res.destroyed) throw new DatanodeIOError('java.io.IOException', 'the client closed the connection');
  if (res.write(bytes)) return undefined;
  return new Promise((resolve, reject) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', closed);
      resolve();
    };
    const closed = () => {
      res.off('drain', done);
      reject(new DatanodeIOError('java.io.IOException', 'the client closed the connection'));
    };
    res.on('drain', done);
    res.once('close', closed);
  });
}

/** GETFILECHECKSUM, redirected here: the file's MD5MD5CRC32 checksum, computed as DFSClient does, as FileChecksum JSON. */
export async function getFileChecksum(c: DataOpContext): Promise<void> {
  const sum = await fileChecksum(c.client, c.path, c.connectTimeoutMs, c.socketTimeoutMs);
  const body = JSON.stringify({ FileChecksum: { algorithm: sum.algorithm, bytes: sum.bytes.toString('hex'), length: sum.length } });
  c.res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  c.res.end(body);
}
