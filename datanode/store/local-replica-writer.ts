import { rm } from 'node:fs/promises';
import { computeChunkChecksums } from '../../protocol/datatransfer/checksum';
import { checksumPosition, encodeMetaHeader } from './block-meta';
import type { ReplicaInfo, ReplicaWriter } from './block-store';
import type { LocalLayout } from './local-layout';
import { inDir, syncDir } from './replica-files';
import { ReplicaFdOps, type ReplicaFds } from './replica-fds';

const EMPTY = Buffer.alloc(0);

/** How a writer tells its store about the replica's new state (undefined: gone). */
export type ReplicaUpdate = (blockId: number, info: ReplicaInfo | undefined) => void;

/** How a store's writers write: fsync at finalize (dfs.datanode.synconclose), and appends inline or through the thread pool. */
export interface ReplicaWriteOptions {
  readonly syncOnClose: boolean;
  /** Open, append, close and rename, inline or through the thread pool. */
  readonly files: ReplicaFdOps;
}

/**
 * Writes one RBW replica in `<dataDir>/current/rbw`. Finalizing closes both
 * files, then renames data and meta into `finalized/`: a replica is listed
 * as finalized only once both are there (the startup scan brings a block
 * with either file still in rbw/ back as an RBW, whichever rename a crash
 * cut off), so the two renames run at once, as do the two opens and the
 * two closes: a small replica's life is four rounds of file operations
 * instead of nine in a row. The meta header goes to disk with the first
 * checksums, in one write (Hadoop's BlockReceiver buffers it the same way);
 * a replica with none yet gets it when it is synced, finalized, released
 * or stopped, and one cut off by a crash before any data is dropped at
 * restart (its meta file is shorter than a header).
 * With `syncOnClose` (Hadoop's dfs.datanode.synconclose) both files and
 * both directories are fsynced first; without it — HDFS's default — a
 * finalized replica survives the datanode's process dying (the bytes are in
 * the OS), not the machine losing power before the OS writes them back: a
 * block is as durable as its copies on other machines, as in HDFS. An hsync
 * (a packet's syncBlock) is durable either way. Opening, appending,
 * closing and renaming run synchronously on the event loop while that is
 * fast, else through the thread pool (`ReplicaFdOps`, `InlineWrites`).
 *
 * Operations run one at a time, so `stop()` (a new generation taking the
 * files over) waits for the one in flight; after it the writer is inert.
 */
export class LocalReplicaWriter implements ReplicaWriter {
  #info: ReplicaInfo;
  readonly #layout: LocalLayout;
  readonly #fds: ReplicaFds;
  readonly #update: ReplicaUpdate;
  readonly #syncOnClose: boolean;
  readonly #ops: ReplicaFdOps;
  #closed = false;
  #stopped = false;
  /** The meta file has no header yet: it goes with the first checksums. */
  #headerPending: boolean;
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(layout: LocalLayout, info: ReplicaInfo, fds: ReplicaFds, update: ReplicaUpdate, o: ReplicaWriteOptions, headerPending: boolean) {
    this.#layout = layout;
    this.#headerPending = headerPending;
    this.#syncOnClose = o.syncOnClose;
    this.#ops = o.files;
    this.#fds = fds;
    this.#info = info;
    this.#update = update;
  }

  /**
   * A fresh, empty RBW replica (existing RBW files of the block are
   * overwritten). The data file is opened read-write: an append that starts
   * mid-chunk reads that chunk's bytes back to checksum it whole.
   */
  static async create(layout: LocalLayout, info: ReplicaInfo, update: ReplicaUpdate, o: ReplicaWriteOptions): Promise<LocalReplicaWriter> {
    const fds = await inDir(layout.rbwDir, () => o.files.openBoth(layout.dataPath(info.blockId, false), 'w+', layout.metaPath(info.blockId, info.generationStamp, false), 'w'));
    update(info.blockId, info);
    return new LocalReplicaWriter(layout, info, fds, update, o, true);
  }

  /** Continues an RBW replica whose files are already in rbw/ and consistent with `info`. */
  static async reopen(layout: LocalLayout, info: ReplicaInfo, update: ReplicaUpdate, o: ReplicaWriteOptions): Promise<LocalReplicaWriter> {
    const fds = await o.files.openBoth(layout.dataPath(info.blockId, false), 'r+', layout.metaPath(info.blockId, info.generationStamp, false), 'r+');
    update(info.blockId, info);
    return new LocalReplicaWriter(layout, info, fds, update, o, false);
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
          : computeChunkChecksums(this.#info.checksum, Buffer.concat([await this.#ops.readAt(this.#fds.data, end - partial, partial), data]));
      // A fresh replica's first checksums follow its header (end is 0 then).
      const header = this.#pendingHeader();
      const metaBytes = header ? Buffer.concat([header, sums]) : sums;
      const metaAt = header ? 0 : checksumPosition(Math.floor(end / bytesPerChecksum));
      await this.#ops.writeBoth(this.#fds, data, end, metaBytes, metaAt);
      this.#headerPending = false;
      this.#setInfo({ ...this.#info, numBytes: end + data.length });
    });
  }

  sync(): Promise<void> {
    return this.#serial(async () => {
      this.#assertOpen();
      await this.#writeHeader();
      await this.#ops.datasyncBoth(this.#fds);
    });
  }

  finalize(): Promise<ReplicaInfo> {
    return this.#serial(async () => {
      this.#assertOpen();
      const { blockId, generationStamp } = this.#info;
      await this.#writeHeader();
      if (this.#syncOnClose) await this.#ops.datasyncBoth(this.#fds);
      await this.#closeFiles();
      const dir = this.#layout.finalizedSubdir(blockId);
      await this.#ops.renameBoth(
        dir,
        [this.#layout.dataPath(blockId, false), this.#layout.dataPath(blockId, true)],
        [this.#layout.metaPath(blockId, generationStamp, false), this.#layout.metaPath(blockId, generationStamp, true)],
      );
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
      await this.#writeHeader();
      await this.#ops.datasyncBoth(this.#fds);
      await this.#closeFiles();
    });
  }

  /** Hadoop's stopWriter: what was appended stays (fsynced); nothing more is written through this writer. */
  stop(): Promise<void> {
    return this.#serial(async () => {
      this.#stopped = true;
      if (this.#closed) return;
      await this.#writeHeader();
      await this.#ops.datasyncBoth(this.#fds);
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
    await this.#ops.closeBoth(this.#fds);
  }

  /** The meta header while it is still to be written. */
  #pendingHeader(): Buffer | undefined {
    return this.#headerPending ? encodeMetaHeader(this.#info.checksum) : undefined;
  }

  async #writeHeader(): Promise<void> {
    const header = this.#pendingHeader();
    if (!header) return;
    await this.#ops.writeBoth(this.#fds, EMPTY, 0, header, 0);
    this.#headerPending = false;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error(`replica writer of block ${this.#info.blockId} is ${this.#stopped ? 'stopped by a newer generation' : 'closed'}`);
  }
}
