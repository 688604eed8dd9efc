import { mkdir, open, rename, rm, statfs } from 'node:fs/promises';
import { CHECKSUM_SIZE, chunkCount, type ChecksumSpec } from '../../protocol/datatransfer/checksum';
import { checksumPosition, META_HEADER_LENGTH } from './block-meta';
import {
  ReplicaAlreadyExistsError,
  ReplicaNotFoundError,
  ReplicaStateError,
  type BlockStore,
  type NewGeneration,
  type ReplicaInfo,
  type ReplicaKey,
  type ReplicaReader,
  type ReplicaWriter,
  type StoreUsage,
} from './block-store';
import { LocalLayout } from './local-layout';
import { LocalReplicaWriter, type ReplicaWriteOptions } from './local-replica-writer';
import { InlineWrites, type InlineSuspension, type InlineWriteStats } from './inline-writes';
import { ReplicaFdOps } from './replica-fds';
import { scanLocalStore } from './local-store-scan';
import { readAt, syncDir, truncateReplica } from './replica-files';

/** `nnfleet datanode --sync-on-close`, `--no-inline-writes`. */
export interface LocalStoreOptions {
  readonly syncOnClose?: boolean;
  readonly inlineWrites?: boolean;
  readonly onInlineSuspend?: (why: InlineSuspension) => void;
}

/**
 * BlockStore on a local directory (see LocalLayout). The replica index is
 * kept in memory, rebuilt from the files at open. A new generation reuses
 * the old one's files: they are moved back to rbw/ under the new stamp
 * (and cut there for a recovery), never rewritten inside finalized/.
 */
export class LocalBlockStore implements BlockStore {
  /** Local disk: only this datanode can serve what it holds. */
  readonly shared = false;
  readonly #layout: LocalLayout;
  readonly #replicas = new Map<number, ReplicaInfo>();
  /** The last writer opened per block; `live` tells whether it still writes. */
  readonly #writers = new Map<number, LocalReplicaWriter>();
  readonly #writes: ReplicaWriteOptions;
  readonly #inline: InlineWrites;

  private constructor(layout: LocalLayout, syncOnClose: boolean, inline: InlineWrites) {
    this.#layout = layout;
    this.#inline = inline;
    this.#writes = { syncOnClose, files: new ReplicaFdOps(inline) };
  }

  /** How many replica file operations (opens, appends, closes, renames) ran inline on the event loop and how many through the thread pool. */
  get inlineWrites(): InlineWriteStats {
    return this.#inline.stats;
  }

  /**
   * Opens (creating if needed) the store in `dir`, recovering what a crash
   * left. `syncOnClose`: dfs.datanode.synconclose (LocalReplicaWriter), off
   * by default as in HDFS. `inlineWrites` (on by default): a replica's
   * opens, appends, closes and renames run on the event loop while that is
   * fast (ReplicaFdOps, InlineWrites).
   */
  static async open(dir: string, o: LocalStoreOptions = {}): Promise<LocalBlockStore> {
    const inline = new InlineWrites({ enabled: o.inlineWrites ?? true, ...(o.onInlineSuspend ? { onSuspend: o.onInlineSuspend } : {}) });
    const store = new LocalBlockStore(new LocalLayout(dir), o.syncOnClose ?? false, inline);
    const { replicas } = await scanLocalStore(store.#layout);
    for (const replica of replicas) store.#replicas.set(replica.blockId, replica);
    return store;
  }

  async createRbw(blockId: number, generationStamp: number, checksum: ChecksumSpec): Promise<ReplicaWriter> {
    // Hadoop's createRbw: a client's new block never exists yet; if it does, it is someone's.
    if (this.#replicas.has(blockId)) throw new ReplicaAlreadyExistsError(blockId);
    return this.#create({ blockId, generationStamp, numBytes: 0, state: 'rbw', checksum });
  }

  async createTemporary(blockId: number, generationStamp: number, checksum: ChecksumSpec): Promise<ReplicaWriter> {
    const existing = this.#replicas.get(blockId);
    if (existing) {
      const stale = existing.state !== 'finalized' && existing.generationStamp < generationStamp && !this.#writers.get(blockId)?.live;
      if (!stale) throw new ReplicaAlreadyExistsError(blockId);
      await this.#removeFiles(existing);
      this.#replicas.delete(blockId);
    }
    return this.#create({ blockId, generationStamp, numBytes: 0, state: 'rbw', checksum });
  }

  async openNewGeneration(from: ReplicaKey, next: NewGeneration): Promise<ReplicaWriter> {
    const replica = this.#require(from);
    checkNewGeneration(replica, next);
    await this.#writers.get(replica.blockId)?.stop();
    // The old generation's files become the new RBW's: moved, never rewritten where they were finalized.
    let moved = await this.#moveToRbw(replica, next.generationStamp);
    if (next.kind === 'recovery' && moved.numBytes > next.maxBytes) moved = await this.#truncate(moved, next.maxBytes);
    return this.#track(await LocalReplicaWriter.reopen(this.#layout, moved, this.#update, this.#writes));
  }

  get(blockId: number): ReplicaInfo | undefined {
    return this.#replicas.get(blockId);
  }

  list(): ReplicaInfo[] {
    return [...this.#replicas.values()];
  }

  async openReader(replica: ReplicaKey): Promise<ReplicaReader> {
    const info = this.#require(replica);
    const { blockId } = info;
    const finalized = info.state === 'finalized';
    const data = await open(this.#layout.dataPath(blockId, finalized), 'r');
    const meta = await open(this.#layout.metaPath(blockId, info.generationStamp, finalized), 'r').catch(async (err: unknown) => {
      await data.close();
      throw err;
    });
    return {
      info,
      readData: (offset, length) => readAt(data, offset, Math.max(0, Math.min(length, info.numBytes - offset))),
      readChecksums: (firstChunk, count) => {
        const last = Math.min(firstChunk + count, chunkCount(info.numBytes, info.checksum.bytesPerChecksum));
        return readAt(meta, checksumPosition(firstChunk), Math.max(0, last - firstChunk) * CHECKSUM_SIZE);
      },
      close: async () => {
        await data.close();
        await meta.close();
      },
    };
  }

  async delete(key: ReplicaKey): Promise<boolean> {
    const replica = this.#replicas.get(key.blockId);
    if (replica?.generationStamp !== key.generationStamp) return false;
    await this.#writers.get(key.blockId)?.stop();
    await this.#removeFiles(replica);
    this.#replicas.delete(key.blockId);
    return true;
  }

  /** The file system holding the directory: other files on it count as neither used nor remaining. */
  async usage(): Promise<StoreUsage> {
    const fs = await statfs(this.#layout.root);
    let used = 0;
    for (const r of this.#replicas.values()) {
      used += r.numBytes + META_HEADER_LENGTH + chunkCount(r.numBytes, r.checksum.bytesPerChecksum) * CHECKSUM_SIZE;
    }
    return { capacity: fs.blocks * fs.bsize, remaining: fs.bavail * fs.bsize, used };
  }

  readonly #update = (blockId: number, info: ReplicaInfo | undefined): void => {
    if (info) this.#replicas.set(blockId, info);
    else this.#replicas.delete(blockId);
    if (!this.#writers.get(blockId)?.live) this.#writers.delete(blockId);
  };

  async #create(info: ReplicaInfo): Promise<ReplicaWriter> {
    return this.#track(await LocalReplicaWriter.create(this.#layout, info, this.#update, this.#writes));
  }

  #track(writer: LocalReplicaWriter): LocalReplicaWriter {
    this.#writers.set(writer.info().blockId, writer);
    return writer;
  }

  /** The replica `key` names: refused when the store holds none of the block, or another generation. */
  #require(key: ReplicaKey): ReplicaInfo {
    const replica = this.#replicas.get(key.blockId);
    if (!replica) throw new ReplicaNotFoundError(key.blockId);
    if (replica.generationStamp !== key.generationStamp) {
      throw new ReplicaNotFoundError(key.blockId, `generation stamp ${key.generationStamp} is not held (${replica.generationStamp} is)`);
    }
    return replica;
  }

  /** Moves a replica's files into rbw/ under a new generation stamp; meta first, so a crash leaves a half-moved RBW. */
  async #moveToRbw(replica: ReplicaInfo, generationStamp: number): Promise<ReplicaInfo> {
    const { blockId } = replica;
    const finalized = replica.state === 'finalized';
    await mkdir(this.#layout.rbwDir, { recursive: true });
    await rename(this.#layout.metaPath(blockId, replica.generationStamp, finalized), this.#layout.metaPath(blockId, generationStamp, false));
    if (finalized) await rename(this.#layout.dataPath(blockId, true), this.#layout.dataPath(blockId, false));
    await syncDir(this.#layout.rbwDir);
    const moved: ReplicaInfo = { ...replica, generationStamp, state: 'rbw' };
    this.#update(blockId, moved);
    return moved;
  }

  async #truncate(replica: ReplicaInfo, length: number): Promise<ReplicaInfo> {
    const finalized = replica.state === 'finalized';
    const { blockId, generationStamp } = replica;
    await truncateReplica(this.#layout.dataPath(blockId, finalized), this.#layout.metaPath(blockId, generationStamp, finalized), replica.checksum, length);
    const cut = { ...replica, numBytes: length };
    this.#update(blockId, cut);
    return cut;
  }

  async #removeFiles(replica: ReplicaInfo): Promise<void> {
    const finalized = replica.state === 'finalized';
    await rm(this.#layout.dataPath(replica.blockId, finalized), { force: true });
    await rm(this.#layout.metaPath(replica.blockId, replica.generationStamp, finalized), { force: true });
  }
}

/** The rules of each kind of new generation (see NewGeneration); throws before anything changes. */
export function checkNewGeneration(replica: ReplicaInfo, next: NewGeneration): void {
  const { blockId, generationStamp: held, numBytes, state } = replica;
  const refuse = (why: string): never => {
    throw new ReplicaStateError(`block ${blockId} (stamp ${held}, ${numBytes} bytes, ${state}): ${why}`);
  };
  const forward = next.kind === 'append' || next.kind === 'recovery' ? next.generationStamp >= held : next.generationStamp > held;
  if (!forward) refuse(`new generation stamp ${next.generationStamp} does not move forward`);
  switch (next.kind) {
    case 'append':
      if (state !== 'finalized') refuse('not finalized; cannot append');
      if (numBytes !== next.length) refuse(`the writer expects ${next.length} bytes`);
      return;
    case 'streamingRecovery':
      if (state !== 'rbw') refuse('only a replica being written takes a streaming recovery');
      if (held < next.writerStamp) refuse(`older than the writer's stamp ${next.writerStamp}`);
      if (numBytes < next.minBytes || numBytes > next.maxBytes) refuse(`length not in [${next.minBytes}, ${next.maxBytes}]`);
      return;
    case 'appendRecovery':
    case 'closeRecovery':
      if (state === 'finalized' ? held !== next.writerStamp : held < next.writerStamp) refuse(`not the writer's stamp ${next.writerStamp}`);
      if (numBytes !== next.length) refuse(`the writer expects ${next.length} bytes`);
      return;
    case 'recovery':
      if (numBytes < next.minBytes) refuse(`fewer than the ${next.minBytes} bytes acknowledged`);
      return;
  }
}
