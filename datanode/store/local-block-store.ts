import { mkdir, open, rename, rm } from 'node:fs/promises';
import { CHECKSUM_SIZE, chunkCount, type ChecksumSpec } from '../../protocol/datatransfer/checksum';
import { checksumPosition, META_HEADER_LENGTH } from './block-meta';
import {
  ReplicaAlreadyExistsError,
  ReplicaNotFoundError,
  ReplicaStateError,
  type BlockStore,
  type RecoverOptions,
  type ReplicaInfo,
  type ReplicaReader,
  type ReplicaWriter,
} from './block-store';
import { LocalLayout } from './local-layout';
import { LocalReplicaWriter } from './local-replica-writer';
import { scanLocalStore } from './local-store-scan';
import { readAt, syncDir, truncateReplica } from './replica-files';

/**
 * BlockStore on a local directory (see LocalLayout). The replica index is
 * kept in memory, rebuilt from the files at open.
 */
export class LocalBlockStore implements BlockStore {
  readonly #layout: LocalLayout;
  readonly #replicas = new Map<number, ReplicaInfo>();

  private constructor(layout: LocalLayout) {
    this.#layout = layout;
  }

  /** Opens (creating if needed) the store in `dir`, recovering what a crash left. */
  static async open(dir: string): Promise<LocalBlockStore> {
    const store = new LocalBlockStore(new LocalLayout(dir));
    const { replicas } = await scanLocalStore(store.#layout);
    for (const replica of replicas) store.#replicas.set(replica.blockId, replica);
    return store;
  }

  async createRbw(blockId: number, generationStamp: number, checksum: ChecksumSpec): Promise<ReplicaWriter> {
    const existing = this.#replicas.get(blockId);
    if (existing?.state === 'finalized') throw new ReplicaAlreadyExistsError(blockId);
    if (existing) await this.#removeFiles(existing);
    const info: ReplicaInfo = { blockId, generationStamp, numBytes: 0, state: 'rbw', checksum };
    return LocalReplicaWriter.create(this.#layout, info, this.#update);
  }

  async append(blockId: number, expectedLength: number, newGenerationStamp: number): Promise<ReplicaWriter> {
    const replica = this.#require(blockId);
    if (replica.state !== 'finalized') throw new ReplicaStateError(`block ${blockId} is not finalized; cannot append`);
    if (replica.numBytes !== expectedLength) {
      throw new ReplicaStateError(`block ${blockId} has ${replica.numBytes} bytes, the writer expects ${expectedLength}`);
    }
    if (newGenerationStamp < replica.generationStamp) {
      throw new ReplicaStateError(`block ${blockId} generation stamp ${replica.generationStamp} is newer than ${newGenerationStamp}`);
    }
    const moved = await this.#moveToRbw(replica, newGenerationStamp);
    return LocalReplicaWriter.reopen(this.#layout, moved, this.#update);
  }

  async recoverRbw(blockId: number, options: RecoverOptions): Promise<ReplicaWriter> {
    const replica = this.#require(blockId);
    if (options.newGenerationStamp < replica.generationStamp) {
      throw new ReplicaStateError(`block ${blockId} generation stamp ${replica.generationStamp} is newer than ${options.newGenerationStamp}`);
    }
    if (replica.numBytes < options.minBytes) {
      throw new ReplicaStateError(`block ${blockId} has ${replica.numBytes} bytes, fewer than the ${options.minBytes} acknowledged`);
    }
    let moved = await this.#moveToRbw(replica, options.newGenerationStamp);
    if (moved.numBytes > options.maxBytes) moved = await this.#truncate(moved, options.maxBytes);
    return LocalReplicaWriter.reopen(this.#layout, moved, this.#update);
  }

  async updateReplica(blockId: number, newGenerationStamp: number, newLength: number): Promise<ReplicaInfo> {
    const replica = this.#require(blockId);
    if (newLength > replica.numBytes) throw new ReplicaStateError(`block ${blockId} has only ${replica.numBytes} bytes`);
    const finalized = replica.state === 'finalized';
    const from = this.#layout.metaPath(blockId, replica.generationStamp, finalized);
    await rename(from, this.#layout.metaPath(blockId, newGenerationStamp, finalized));
    const renamed = { ...replica, generationStamp: newGenerationStamp };
    this.#update(blockId, renamed);
    return newLength < replica.numBytes ? this.#truncate(renamed, newLength) : renamed;
  }

  get(blockId: number): ReplicaInfo | undefined {
    return this.#replicas.get(blockId);
  }

  list(): ReplicaInfo[] {
    return [...this.#replicas.values()];
  }

  async openReader(blockId: number): Promise<ReplicaReader> {
    const info = this.#require(blockId);
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

  async delete(blockId: number): Promise<boolean> {
    const replica = this.#replicas.get(blockId);
    if (!replica) return false;
    await this.#removeFiles(replica);
    this.#replicas.delete(blockId);
    return true;
  }

  usedBytes(): number {
    let used = 0;
    for (const r of this.#replicas.values()) {
      used += r.numBytes + META_HEADER_LENGTH + chunkCount(r.numBytes, r.checksum.bytesPerChecksum) * CHECKSUM_SIZE;
    }
    return used;
  }

  readonly #update = (blockId: number, info: ReplicaInfo | undefined): void => {
    if (info) this.#replicas.set(blockId, info);
    else this.#replicas.delete(blockId);
  };

  #require(blockId: number): ReplicaInfo {
    const replica = this.#replicas.get(blockId);
    if (!replica) throw new ReplicaNotFoundError(blockId);
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
