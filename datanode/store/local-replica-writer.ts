import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { computeChunkChecksums } from '../../protocol/datatransfer/checksum';
import { checksumPosition, encodeMetaHeader } from './block-meta';
import type { ReplicaInfo, ReplicaWriter } from './block-store';
import type { LocalLayout } from './local-layout';
import { inDir, readAt, syncDir } from './replica-files';

/** How a writer tells its store about the replica's new state (undefined: gone). */
export type ReplicaUpdate = (blockId: number, info: ReplicaInfo | undefined) => void;

/**
 * Writes one RBW replica in `<dataDir>/current/rbw`. Finalizing closes both
 * files, then renames data and meta into `finalized/`: a replica is listed
 * as finalized only once both are there, so a crash mid-way leaves an RBW.
 * With `syncOnClose` (Hadoop's dfs.datanode.synconclose) both files and
 * both directories are fsynced first; without it — HDFS's default — a
 * finalized replica survives the datanode's process dying (the bytes are in
 * the OS), not the machine losing power before the OS writes them back: a
 * block is as durable as its copies on other machines, as in HDFS. An hsync
 * (a packet's syncBlock) is durable either way.
 *
 * Operations run one at a time, so `stop()` (a new generation taking the
 * files over) waits for the one in flight; after it the writer is inert.
 */
export class LocalReplicaWriter implements ReplicaWriter {
  #info: ReplicaInfo;
  readonly #layout: LocalLayout;
  readonly #data: FileHandle;
  readonly #meta: FileHandle;
  readonly #update: ReplicaUpdate;
  readonly #syncOnClose: boolean;
  #closed = false;
  #stopped = false;
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(layout: LocalLayout, info: ReplicaInfo, data: FileHandle, meta: FileHandle, update: ReplicaUpdate, syncOnClose: boolean) {
    this.#layout = layout;
    this.#syncOnClose = syncOnClose;
    this.#info = info;
    this.#data = data;
    this.#meta = meta;
    this.#update = update;
  }

  /**
   * A fresh, empty RBW replica (existing RBW files of the block are
   * overwritten). The data file is opened read-write: an append that starts
   * mid-chunk reads that chunk's bytes back to checksum it whole.
   */
  static async create(layout: LocalLayout, info: ReplicaInfo, update: ReplicaUpdate, syncOnClose: boolean): Promise<LocalReplicaWriter> {
    const data = await inDir(layout.rbwDir, () => open(layout.dataPath(info.blockId, false), 'w+'));
    const meta = await open(layout.metaPath(info.blockId, info.generationStamp, false), 'w');
    await meta.write(encodeMetaHeader(info.checksum), 0, undefined, 0);
    update(info.blockId, info);
    return new LocalReplicaWriter(layout, info, data, meta, update, syncOnClose);
  }

  /** Continues an RBW replica whose files are already in rbw/ and consistent with `info`. */
  static async reopen(layout: LocalLayout, info: ReplicaInfo, update: ReplicaUpdate, syncOnClose: boolean): Promise<LocalReplicaWriter> {
    const data = await open(layout.dataPath(info.blockId, false), 'r+');
    const meta = await open(layout.metaPath(info.blockId, info.generationStamp, false), 'r+');
    update(info.blockId, info);
    return new LocalReplicaWriter(layout, info, data, meta, update, syncOnClose);
  }

  /** Still writing: neither finalized, aborted, released nor stopped. */
  get live(): boolean {
    return !this.#closed;
  }

  info(): ReplicaInfo {
    return this.#info;
  }

  append(data: Buffer, checksums: Buffer): Promise<void> {
    return this.#serial(async () => {
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
      // Two files, two threads: neither write waits for the other.
      await Promise.all([this.#data.write(data, 0, data.length, end), this.#meta.write(sums, 0, sums.length, checksumPosition(Math.floor(end / bytesPerChecksum)))]);
      this.#setInfo({ ...this.#info, numBytes: end + data.length });
    });
  }

  sync(): Promise<void> {
    return this.#serial(async () => {
      this.#assertOpen();
      await this.#data.datasync();
      await this.#meta.datasync();
    });
  }

  finalize(): Promise<ReplicaInfo> {
    return this.#serial(async () => {
      this.#assertOpen();
      const { blockId, generationStamp } = this.#info;
      if (this.#syncOnClose) await Promise.all([this.#data.datasync(), this.#meta.datasync()]);
      await this.#closeFiles();
      const dir = this.#layout.finalizedSubdir(blockId);
      await inDir(dir, () => rename(this.#layout.dataPath(blockId, false), this.#layout.dataPath(blockId, true)));
      await rename(this.#layout.metaPath(blockId, generationStamp, false), this.#layout.metaPath(blockId, generationStamp, true));
      if (this.#syncOnClose) await Promise.all([syncDir(dir), syncDir(this.#layout.rbwDir)]);
      this.#setInfo({ ...this.#info, state: 'finalized' });
      return this.#info;
    });
  }

  abort(): Promise<void> {
    return this.#serial(async () => {
      // Stopped: the files belong to the generation that took over.
      if (this.#stopped) return;
      if (!this.#closed) await this.#closeFiles();
      const { blockId, generationStamp } = this.#info;
      await rm(this.#layout.dataPath(blockId, false), { force: true });
      await rm(this.#layout.metaPath(blockId, generationStamp, false), { force: true });
      this.#update(blockId, undefined);
    });
  }

  release(): Promise<void> {
    return this.#serial(async () => {
      if (this.#closed) return;
      await this.#data.datasync();
      await this.#meta.datasync();
      await this.#closeFiles();
    });
  }

  /** Hadoop's stopWriter: what was appended stays (fsynced); nothing more is written through this writer. */
  stop(): Promise<void> {
    return this.#serial(async () => {
      this.#stopped = true;
      if (this.#closed) return;
      await this.#data.datasync();
      await this.#meta.datasync();
      await this.#closeFiles();
    });
  }

  #serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(op, op);
    this.#tail = run.catch(() => undefined);
    return run;
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
    if (this.#closed) throw new Error(`replica writer of block ${this.#info.blockId} is ${this.#stopped ? 'stopped by a newer generation' : 'closed'}`);
  }
}
