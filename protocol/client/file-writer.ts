import { xferAddress } from '../datatransfer/socket-io';
import { writeBlock, type BlockWrite } from './block-writer';
import { PipelineSetupError } from './data-errors';
import { addBlockWithBackoff } from './locate-following-block';
import type { DatanodeInfo, ExtendedBlock, LocatedBlock, NamenodeClient } from './namenode-client';

/** dfs.client.block.write.retries: new pipelines tried after a setup failure, each without the bad node. */
const BLOCK_WRITE_RETRIES = 3;

/** A file's bytes in order, as a writer consumes them: a fixed pattern, or an HTTP request body. */
export interface FileSource {
  /** Whether no byte is left (waits for the next one or the end). */
  ended(): Promise<boolean>;
  /** The next bytes, at most `max`; fewer only at the end, an empty buffer after it. */
  read(max: number): Promise<Buffer>;
}

export interface FileWrite {
  readonly client: NamenodeClient;
  readonly path: string;
  readonly blockSize: number;
  readonly source: FileSource;
  /** The file's last block when continuing one (an append into a new block); undefined for a new file. */
  readonly previous?: ExtendedBlock | undefined;
  readonly connectTimeoutMs: number;
  readonly socketTimeoutMs: number;
}

/**
 * Writes a file's blocks as DFSOutputStream does: per block addBlock (with
 * the previous block's final length), then a WRITE_BLOCK pipeline; a
 * pipeline that cannot be set up — before any byte of the source is read —
 * is abandoned and asked for again without the bad node (writeNewBlock). Resolves to the
 * last block written with its length (for complete), or `previous` when
 * the source was empty.
 */
export async function writeFileBlocks(w: FileWrite): Promise<ExtendedBlock | undefined> {
  let last = w.previous;
  while (!(await w.source.ended())) last = await writeNextBlock(w, last);
  return last;
}

function writeNextBlock(w: FileWrite, previous: ExtendedBlock | undefined): Promise<ExtendedBlock> {
  return writeNewBlock({
    client: w.client,
    path: w.path,
    previous,
    next: (offset, max) => (offset >= w.blockSize ? Buffer.alloc(0) : w.source.read(Math.min(max, w.blockSize - offset))),
    connectTimeoutMs: w.connectTimeoutMs,
    socketTimeoutMs: w.socketTimeoutMs,
  });
}

/** One new block of a file being written. */
export interface NewBlockWrite {
  readonly client: NamenodeClient;
  readonly path: string;
  /** The file's block before this one, with its final length (addBlock commits it); undefined for the first. */
  readonly previous: ExtendedBlock | undefined;
  /** The block's bytes; asked again from offset 0 after a pipeline that could not be set up (none was read then). */
  readonly next: BlockWrite['next'];
  readonly connectTimeoutMs: number;
  readonly socketTimeoutMs: number;
  /** The block addBlock already gave, for the first attempt (a caller that takes addBlock apart, to count it). */
  readonly allocated?: LocatedBlock;
  /** Called as each addBlock answers: a timer's mark. */
  readonly onAllocated?: () => void;
  /** Called once the pipeline that takes the block is set up, before any packet: a timer's mark. */
  readonly onSetup?: () => void;
}

/**
 * A new block as DataStreamer's nextBlockOutputStream writes it: addBlock,
 * then a WRITE_BLOCK pipeline; a pipeline that cannot be set up is
 * abandoned and asked for again without the bad node, up to
 * dfs.client.block.write.retries times. Resolves to the block with its
 * length, once every datanode acknowledged every packet.
 */
export async function writeNewBlock(w: NewBlockWrite): Promise<ExtendedBlock> {
  const exclude: DatanodeInfo[] = [];
  let located = w.allocated;
  for (let attempt = 1; ; attempt++) {
    if (!located) {
      located = await addBlockWithBackoff(w.client, w.path, w.previous, exclude);
      w.onAllocated?.();
    }
    try {
      const length = await writeBlock({
        located,
        clientName: w.client.clientName,
        next: w.next,
        connectTimeoutMs: w.connectTimeoutMs,
        socketTimeoutMs: w.socketTimeoutMs,
        ...(w.onSetup ? { onSetup: w.onSetup } : {}),
      });
      return { ...located.b, numBytes: length };
    } catch (err) {
      if (!(err instanceof PipelineSetupError) || attempt > BLOCK_WRITE_RETRIES) throw err;
      await w.client.abandonBlock(w.path, located.b);
      const bad = (located.locs ?? []).find((l) => xferAddress(l.id).address === err.badNode);
      if (bad) exclude.push(bad);
      located = undefined;
    }
  }
}
