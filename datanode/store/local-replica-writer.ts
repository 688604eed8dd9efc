import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { computeChunkChecksums } from '../../protocol/datatransfer/checksum';
import { checksumPosition, encodeMetaHeader } from './block-meta';
import type { ReplicaInfo, ReplicaWriter } from './block-store';
import type { LocalLayout } from './local-layout';
import { readAt, syncDir } from './replica-files';

/** How a writer tells its store about the replica's new state (undefined: gone). */
export type ReplicaUpdate = (blockId: number, info: ReplicaInfo | undefined) => void;

/**
 * Writes one RBW replica in `<dataDir>/current/rbw`. Finalizing fsyncs both
 * files, then renames data and meta into `finalized/`: a replica is listed
 * as finalized only once both are there, so a crash mid-way leaves an RBW.
 */
export class LocalReplicaWriter implements ReplicaWriter {
  #info: ReplicaInfo;
  readonly #layout: LocalLayout;
  readonly #data: FileHandle;
  readonly #meta: FileHandle;
  readonly #update: ReplicaUpdate;
  #closed = false;

  private constructor(layout: LocalLayout, info: ReplicaInfo, data: FileHandle, meta: FileHandle, update: ReplicaUpdate) {
    this.#layout = layout;
    this.#info = info;
    this.#data = data;
    this.#meta = meta;
    this.#update = update;
  }

  /** A fresh, empty RBW replica (existing RBW files of the block are overwritten). */
  static async create(layout: LocalLayout, info: ReplicaInfo, update: ReplicaUpdate): Promise<LocalReplicaWriter> {
    await mkdir(layout.rbwDir, { recursive: true });
    const data = await open(layout.dataPath(info.blockId, false), 'w');
    const meta = await open(layout.metaPath(info.blockId, info.generationStamp, false), 'w');
    await meta.write(encodeMetaHeader(info.checksum), 0, undefined, 0);
    update(info.blockId, info);
    return new LocalReplicaWriter(layout, info, data, meta, update);
  }

  /** Continues an RBW replica whose files are already in rbw/ and consistent with `info`. */
  static async reopen(layout: LocalLayout, info: ReplicaInfo, update: ReplicaUpdate): Promise<LocalReplicaWriter> {
    const data = await open(layout.dataPath(info.blockId, false), 'r+');
    const meta = await open(layout.metaPath(info.blockId, info.generationStamp, false), 'r+');
    update(info.blockId, info);
    return new LocalReplicaWriter(layout, info, data, meta, update);
  }

  info(): ReplicaInfo {
    return this.#info;
  }

  async append(data: Buffer, checksums: Buffer): Promise<void> {
    this.#assertOpen();
    if (data.length === 0) return;
    const { bytesPerChecksum } = this.#info.checksum;
    const end = this.#info.numBytes;
    const partial = end % bytesPerChecksum;
    // The sender's checksums cover chunks aligned at the packet start; when
    // the replica ends mid-chunk, that chunk's stored checksum must cover the
    // bytes already on disk too.
    const sums =
      partial === 0
        ? checksums
        : computeChunkChecksums(this.#info.checksum, Buffer.concat([await readAt(this.#data, end - partial, partial), data]));
    await this.#data.write(data, 0, data.length, end);
    await this.#meta.write(sums, 0, sums.length, checksumPosition(Math.floor(end / bytesPerChecksum)));
    this.#setInfo({ ...this.#info, numBytes: end + data.length });
  }

  async finalize(): Promise<ReplicaInfo> {
    this.#assertOpen();
    const { blockId, generationStamp } = this.#info;
    await this.#data.datasync();
    await this.#meta.datasync();
    await this.#closeFiles();
    const dir = this.#layout.finalizedSubdir(blockId);
    await mkdir(dir, { recursive: true });
    await rename(this.#layout.dataPath(blockId, false), this.#layout.dataPath(blockId, true));
    await rename(this.#layout.metaPath(blockId, generationStamp, false), this.#layout.metaPath(blockId, generationStamp, true));
    await syncDir(dir);
    await syncDir(this.#layout.rbwDir);
    this.#setInfo({ ...this.#info, state: 'finalized' });
    return this.#info;
  }

  async abort(): Promise<void> {
    if (!this.#closed) await this.#closeFiles();
    const { blockId, generationStamp } = this.#info;
    await rm(this.#layout.dataPath(blockId, false), { force: true });
    await rm(this.#layout.metaPath(blockId, generationStamp, false), { force: true });
    this.#update(blockId, undefined);
  }

  async release(): Promise<void> {
    if (this.#closed) return;
    await this.#data.datasync();
    await this.#meta.datasync();
    await this.#closeFiles();
  }

  #setInfo(info: ReplicaInfo): void {
    this.#info = info;
    this.#update(info.blockId, info);
  }

  async #closeFiles(): Promise<void> {
    this.#closed = true;
    await this.#data.close();
    await this.#meta.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error(`replica writer of block ${this.#info.blockId} is closed`);
  }
}
