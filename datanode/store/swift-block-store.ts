import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ChecksumSpec } from '../../protocol/datatransfer/checksum';
import { CHECKSUM_SIZE } from '../../protocol/datatransfer/checksum';
import { META_HEADER_LENGTH } from './block-meta';
import {
  ReplicaAlreadyExistsError,
  ReplicaNotFoundError,
  type BlockStore,
  type NewGeneration,
  type ReplicaInfo,
  type ReplicaKey,
  type ReplicaReader,
  type ReplicaWriter,
  type StoreUsage,
} from './block-store';
import { checkNewGeneration, LocalBlockStore } from './local-block-store';
import { LocalLayout } from './local-layout';
import { SwiftClient, type SloSegment } from './swift-client';
import type { SwiftCredentials } from './swift-credentials';
import { objectHeaders, objectName, objectSize, parseObjectName, replicaFromHeaders, segmentName, segmentsContainer } from './swift-object-layout';
import { SwiftReadCache } from './swift-read-cache';
import { SwiftDeleteQueue, type DeleteQueueOptions } from './swift-delete-queue';

export interface SwiftStoreOptions {
  readonly credentials: SwiftCredentials;
  readonly container: string;
  /** Local directory where replicas are staged while their pipeline runs. */
  readonly stagingDir: string;
  /** Objects larger than this are uploaded as Static Large Objects of segments this size (Swift's max_file_size, 5 GiB). */
  readonly maxObjectBytes?: number;
  /** The read cache's size in bytes (0: none). */
  readonly readCacheBytes?: number;
  /** A Swift request that makes no progress for this long fails (the write or read fails, retriably). */
  readonly idleTimeoutMs?: number;
  /** What the store reports as capacity: Swift has no quota to ask by default. */
  readonly capacityBytes?: number;
  /** Rate, retries and reporting of the background object deletions. */
  readonly deletes?: Partial<DeleteQueueOptions>;
}

export const SWIFT_DEFAULTS = {
  maxObjectBytes: 5 * 1024 ** 3,
  readCacheBytes: 64 * 1024 ** 2,
  idleTimeoutMs: 30_000,
  capacityBytes: 1024 ** 5,
} as const;

/** Upload/download unit, and the read cache's window: a multiple of every usual chunk size. */
const WINDOW = 4 * 1024 * 1024;
/** Replicas this gateway only reads (written through others), remembered for their reads. */
const MAX_BORROWED = 10_000;

/**
 * BlockStore on OpenStack Swift (see swift-object-layout.ts for the object
 * form). A datanode is a stateless gateway: replicas being written live in
 * a local staging store (a LocalBlockStore) and are uploaded — streamed,
 * MD5 checked against the ETag — when finalized, before finalize resolves
 * (so before the last packet's ack and the namenode's "received"); the
 * staged copy is then dropped. Reads are ranged GETs through a bounded
 * cache. An append or recovery of a finalized replica downloads it into
 * staging, continues it under the new stamp, uploads the new object, then
 * deletes the old one: an object is never overwritten.
 *
 * `shared`: every gateway on the container can serve every block in it.
 * One written through another gateway is found by `lookup` (a listing by
 * prefix and a HEAD); it is served but not reported as this node's.
 */
export class SwiftBlockStore implements BlockStore {
  readonly shared = true;
  readonly #client: SwiftClient;
  readonly #container: string;
  readonly #staging: LocalBlockStore;
  readonly #layout: LocalLayout;
  readonly #cache: SwiftReadCache;
  readonly #maxObjectBytes: number;
  readonly #capacity: number;
  readonly #deletes: SwiftDeleteQueue;
  /** Finalized replicas in Swift that this gateway reports (written through it, or found at open). */
  readonly #index = new Map<number, ReplicaInfo>();
  /** Finalized replicas in Swift found by `lookup`: served, not reported. */
  readonly #borrowed = new Map<number, ReplicaInfo>();

  private constructor(opts: SwiftStoreOptions, staging: LocalBlockStore) {
    this.#client = new SwiftClient(opts.credentials, { idleTimeoutMs: opts.idleTimeoutMs ?? SWIFT_DEFAULTS.idleTimeoutMs });
    this.#container = opts.container;
    this.#staging = staging;
    this.#layout = new LocalLayout(opts.stagingDir);
    this.#cache = new SwiftReadCache(opts.readCacheBytes ?? SWIFT_DEFAULTS.readCacheBytes, WINDOW);
    this.#maxObjectBytes = opts.maxObjectBytes ?? SWIFT_DEFAULTS.maxObjectBytes;
    this.#capacity = opts.capacityBytes ?? SWIFT_DEFAULTS.capacityBytes;
    this.#deletes = new SwiftDeleteQueue(opts.deletes);
  }

  /** Creates the containers if needed, indexes the container's replicas, and uploads what a crash left finalized in staging. */
  static async open(opts: SwiftStoreOptions): Promise<SwiftBlockStore> {
    const store = new SwiftBlockStore(opts, await LocalBlockStore.open(opts.stagingDir));
    await store.#client.ensureContainer(store.#container);
    await store.#client.ensureContainer(segmentsContainer(store.#container));
    await store.#indexContainer();
    for (const r of store.#staging.list()) {
      if (r.state !== 'finalized') continue;
      if (store.#index.get(r.blockId)?.generationStamp !== r.generationStamp) await store.#upload(r);
      store.#index.set(r.blockId, r);
      await store.#staging.delete(r);
    }
    return store;
  }

  async createRbw(blockId: number, generationStamp: number, checksum: ChecksumSpec): Promise<ReplicaWriter> {
    if (this.#index.has(blockId)) throw new ReplicaAlreadyExistsError(blockId);
    return this.#wrap(await this.#staging.createRbw(blockId, generationStamp, checksum));
  }

  async createTemporary(blockId: number, generationStamp: number, checksum: ChecksumSpec): Promise<ReplicaWriter> {
    if (this.#index.has(blockId)) throw new ReplicaAlreadyExistsError(blockId);
    return this.#wrap(await this.#staging.createTemporary(blockId, generationStamp, checksum));
  }

  async openNewGeneration(from: ReplicaKey, next: NewGeneration): Promise<ReplicaWriter> {
    const staged = this.#staging.get(from.blockId);
    if (staged) return this.#wrap(await this.#staging.openNewGeneration(from, next));
    const held = this.#require(from);
    checkNewGeneration(held, next);
    await this.#download(held);
    // Retired from here on: the new generation is the block's; the old object goes once the new one is up.
    this.#index.delete(held.blockId);
    this.#borrowed.delete(held.blockId);
    try {
      return this.#wrap(await this.#staging.openNewGeneration(from, next), held);
    } catch (err) {
      this.#index.set(held.blockId, held);
      await this.#staging.delete(held);
      throw err;
    }
  }

  get(blockId: number): ReplicaInfo | undefined {
    return this.#staging.get(blockId) ?? this.#index.get(blockId);
  }

  /**
   * The replica of a block as this gateway or Swift holds it, at least at
   * `minGenerationStamp`: what `get` knows, else the newest object of the
   * block in the container (written through another gateway).
   */
  async lookup(blockId: number, minGenerationStamp: number, minBytes = 0): Promise<ReplicaInfo | undefined> {
    const known = this.get(blockId) ?? this.#borrowed.get(blockId);
    // A borrowed replica shorter than the reader expects is stale: an append under the same stamp (the Go
    // client's) replaced its object through another gateway.
    const stale = known !== undefined && known === this.#borrowed.get(blockId) && known.numBytes < minBytes;
    if (known && known.generationStamp >= minGenerationStamp && !stale) return known;
    const names = await this.#client.list(this.#container, `blk_${blockId}_`);
    const newest = names
      .map((n) => parseObjectName(n.name))
      .filter((k): k is ReplicaKey => k?.blockId === blockId)
      .sort((a, b) => b.generationStamp - a.generationStamp)[0];
    if (!newest || newest.generationStamp < minGenerationStamp) return known;
    const headers = await this.#client.head(this.#container, objectName(newest));
    const info = headers && replicaFromHeaders(newest, headers);
    if (!info) return known;
    if (stale) this.#cache.forget(objectName(info));
    if (this.#borrowed.size >= MAX_BORROWED) this.#borrowed.delete(this.#borrowed.keys().next().value as number);
    this.#borrowed.set(blockId, info);
    return info;
  }

  list(): ReplicaInfo[] {
    const staged = this.#staging.list();
    const stagedIds = new Set(staged.map((r) => r.blockId));
    return [...staged, ...[...this.#index.values()].filter((r) => !stagedIds.has(r.blockId))];
  }

  async openReader(key: ReplicaKey): Promise<ReplicaReader> {
    if (this.#staging.get(key.blockId)) return this.#staging.openReader(key);
    const info = this.#require(key);
    // Swift answers and holds the object, before the caller tells a reader "SUCCESS": when it
    // does not, the read fails before any byte and the reader tries another gateway (the Go
    // client takes a connection closed mid-stream for the block's end and asks the same one again).
    if (!(await this.#client.head(this.#container, objectName(info)))) throw new ReplicaNotFoundError(key.blockId, 'its object is not in Swift');
    return this.#objectReader(info);
  }

  /** Ranged GETs of a replica's object, through the read cache. */
  #objectReader(info: ReplicaInfo): ReplicaReader {
    const name = objectName(info);
    const size = objectSize(info);
    const read = (start: number, end: number): Promise<Buffer> =>
      this.#cache.read(name, size, start, end, (s, e) => this.#client.getRange(this.#container, name, s, e));
    const { numBytes } = info;
    return {
      info,
      readData: (offset, length) => read(offset, Math.min(numBytes, offset + Math.max(0, length))),
      readChecksums: (firstChunk, count) => {
        const end = Math.min(size, numBytes + (firstChunk + count) * CHECKSUM_SIZE);
        return read(numBytes + firstChunk * CHECKSUM_SIZE, end);
      },
      close: async () => undefined,
    };
  }

  async delete(key: ReplicaKey): Promise<boolean> {
    if (this.#staging.get(key.blockId)) return this.#staging.delete(key);
    const held = this.#index.get(key.blockId) ?? this.#borrowed.get(key.blockId);
    if (held?.generationStamp !== key.generationStamp) return false;
    await this.#deleteObject(held);
    this.#index.delete(key.blockId);
    this.#borrowed.delete(key.blockId);
    return true;
  }

  async usage(): Promise<StoreUsage> {
    let used = 0;
    for (const r of this.#index.values()) used += objectSize(r);
    return { capacity: this.#capacity, remaining: Math.max(0, this.#capacity - used), used };
  }

  close(): void {
    void this.#deletes.close().finally(() => this.#client.close());
  }

  /** Resolves once no object deletion is queued or waiting for a retry. */
  deletionsDrained(): Promise<void> {
    return this.#deletes.drained();
  }

  /** Object deletions queued or waiting for a retry, and done so far. */
  get deletions(): { readonly pending: number; readonly deleted: number; readonly retried: number; readonly abandoned: number } {
    const q = this.#deletes;
    return { pending: q.pending, deleted: q.deleted, retried: q.retried, abandoned: q.abandoned };
  }

  #require(key: ReplicaKey): ReplicaInfo {
    const held = this.#index.get(key.blockId) ?? this.#borrowed.get(key.blockId);
    if (!held) throw new ReplicaNotFoundError(key.blockId);
    if (held.generationStamp !== key.generationStamp) {
      throw new ReplicaNotFoundError(key.blockId, `generation stamp ${key.generationStamp} is not held (${held.generationStamp} is)`);
    }
    return held;
  }

  /** A staged writer whose finalize uploads the replica (and then retires `retiring`, the generation it continues). */
  #wrap(inner: ReplicaWriter, retiring?: ReplicaInfo): ReplicaWriter {
    return {
      info: () => inner.info(),
      append: (data, checksums) => inner.append(data, checksums),
      sync: () => inner.sync(),
      abort: () => inner.abort(),
      release: () => inner.release(),
      finalize: async () => {
        const info = await inner.finalize();
        try {
          await this.#upload(info);
        } catch (err) {
          // Not in Swift, so not finalized anywhere: nothing half-stored stays behind.
          await this.#staging.delete(info).catch(() => undefined);
          throw err;
        }
        this.#index.set(info.blockId, info);
        // Under the stamp it continued (the Go client's append), the object replaced one this gateway may have cached.
        this.#cache.forget(objectName(info));
        await this.#staging.delete(info);
        if (retiring && retiring.generationStamp !== info.generationStamp) await this.#deleteObject(retiring).catch(() => undefined);
        return info;
      },
    };
  }

  /** Uploads a replica finalized in staging: one object, or an SLO above the single-object limit. */
  async #upload(info: ReplicaInfo): Promise<void> {
    const size = objectSize(info);
    const headers = objectHeaders(info);
    const name = objectName(info);
    const body = (start: number, end: number) => () => Readable.from(this.#stagedBytes(info, start, end));
    if (size <= this.#maxObjectBytes) {
      await this.#client.putObject(this.#container, name, size, body(0, size), headers);
      return;
    }
    const segments: SloSegment[] = [];
    const segContainer = segmentsContainer(this.#container);
    for (let i = 0, start = 0; start < size; i++, start += this.#maxObjectBytes) {
      const end = Math.min(size, start + this.#maxObjectBytes);
      const seg = segmentName(info, i);
      const etag = await this.#client.putObject(segContainer, seg, end - start, body(start, end));
      segments.push({ path: `/${segContainer}/${seg}`, etag, sizeBytes: end - start });
    }
    await this.#client.putManifest(this.#container, name, segments, headers);
  }

  /** Bytes [start, end) of the object a staged finalized replica becomes: its data file, then its meta file's checksums. */
  async *#stagedBytes(info: ReplicaInfo, start: number, end: number): AsyncGenerator<Buffer> {
    const n = info.numBytes;
    if (start < n) yield* streamOf(this.#layout.dataPath(info.blockId, true), start, Math.min(end, n));
    if (end > n) yield* streamOf(this.#layout.metaPath(info.blockId, info.generationStamp, true), META_HEADER_LENGTH + Math.max(0, start - n), META_HEADER_LENGTH + end - n);
  }

  /** Copies a replica from Swift into staging, finalized under its own stamp, checksums as stored. */
  async #download(info: ReplicaInfo): Promise<void> {
    const reader = this.#objectReader(info);
    const writer = await this.#staging.createTemporary(info.blockId, info.generationStamp, info.checksum);
    try {
      const bpc = info.checksum.bytesPerChecksum;
      const step = Math.max(bpc, Math.floor(WINDOW / bpc) * bpc);
      for (let off = 0; off < info.numBytes; off += step) {
        const data = await reader.readData(off, step);
        const sums = await reader.readChecksums(off / bpc, Math.ceil(data.length / bpc));
        await writer.append(data, sums);
      }
      await writer.finalize();
    } catch (err) {
      await writer.abort().catch(() => undefined);
      throw err;
    }
  }

  /** Forgets the object at once (no longer served or reported) and queues its deletion in Swift (see swift-delete-queue.ts). */
  async #deleteObject(info: ReplicaInfo): Promise<void> {
    const name = objectName(info);
    this.#cache.forget(name);
    const manifest = objectSize(info) > this.#maxObjectBytes;
    this.#deletes.add({ name, run: () => this.#client.delete(this.#container, name, manifest) });
  }

  /** Every replica object in the container (pages of names, a HEAD each for length and checksum type); the newest generation of a block wins. */
  async #indexContainer(): Promise<void> {
    let marker = '';
    for (;;) {
      const page = await this.#client.list(this.#container, 'blk_', marker);
      if (page.length === 0) return;
      marker = (page[page.length - 1] as { name: string }).name;
      for (const entry of page) {
        const key = parseObjectName(entry.name);
        if (!key || (this.#index.get(key.blockId)?.generationStamp ?? -1) > key.generationStamp) continue;
        const headers = await this.#client.head(this.#container, entry.name);
        const info = headers && replicaFromHeaders(key, headers);
        if (info) this.#index.set(key.blockId, info);
      }
    }
  }
}

function streamOf(path: string, start: number, end: number): AsyncIterable<Buffer> {
  if (end <= start) return Readable.from([]);
  return createReadStream(path, { start, end: end - 1 });
}
