import { datanodeToken, fileBlocksToken } from '../dal/cache-tokens';
import type { ReplicaLocation, ReplicaState } from '../dal/replica-repository';
import { isLive, type DatanodeInfo } from '../domain/datanode-info';
import { BlockState, type Block } from '../domain/located-blocks';
import type { BatchedRead, FileBlockRows, FileBlocksRequest } from '../tx/batched-reads';
import type { EntryCache } from '../tx/row-cache';

/** A replica as a closed file's cache entry keeps it: its datanode by uuid only (the datanode's row is an entry of its own). */
interface CachedReplica {
  readonly blockId: number;
  readonly genStamp: number;
  readonly numBytes: number;
  readonly state: ReplicaState;
  readonly storageId: string;
  readonly storageType: number;
  readonly uuid: string;
}

interface FileEntry {
  readonly blocks: readonly Block[];
  readonly replicas: readonly CachedReplica[];
  /** The replicas' datanodes, each once (built at install, not per hit). */
  readonly uuids: readonly string[];
}

interface DatanodeEntry {
  readonly info: DatanodeInfo;
  /** performance.now() when it was read. */
  readonly readAt: number;
}

const FILE_ENTRY_BYTES = 200;
const BLOCK_BYTES = 120;
const REPLICA_BYTES = 220;
const DATANODE_ENTRY_BYTES = 600;

const fileKey = (inodeId: number): string => `b${inodeId}`;
const datanodeKey = (uuid: string): string => `d${uuid}`;

export interface CachedFileBlocksOptions {
  /** The unlocked coalesced read: open files, and anything the cache cannot answer. */
  readonly direct: BatchedRead<FileBlocksRequest, FileBlockRows>;
  /** The same read with shared locks: what may be installed. */
  readonly shared: BatchedRead<FileBlocksRequest, FileBlockRows>;
  /** Datanode rows by uuid, read with shared locks. */
  readonly datanodes: (uuids: readonly string[]) => Promise<DatanodeInfo[]>;
  readonly heartbeatExpiryMs: number;
  /** How old a cached datanode row may be for its heartbeat figures (dfs.heartbeat.interval). */
  readonly datanodeMaxAgeMs: number;
}

/**
 * getBlockLocations' rows from the coherent cache (namenode/cache/README.md):
 * the block and replica rows of a closed file whose blocks are all
 * complete, keyed by inode id and named by the file's blocks token and the
 * tokens of the datanodes holding its replicas; the datanodes' rows are
 * entries of their own, named by their datanode token (identity and
 * administrative state change only through mutations carrying it). Their
 * heartbeat figures are not invalidated: heartbeats only move
 * `lastHeartbeat` forward, so a cached row that says live is live; one
 * that says otherwise, or is older than `datanodeMaxAgeMs`, is read again.
 * Files open for writing always go to the database.
 */
export class CachedFileBlocks implements BatchedRead<FileBlocksRequest, FileBlockRows> {
  readonly #cache: EntryCache;
  readonly #o: CachedFileBlocksOptions;

  constructor(cache: EntryCache, o: CachedFileBlocksOptions) {
    this.#cache = cache;
    this.#o = o;
  }

  async get(request: FileBlocksRequest): Promise<FileBlockRows> {
    if (request.withPipeline) return this.#o.direct.get(request);
    const entry = this.#cache.get<FileEntry>('blocks', fileKey(request.inodeId));
    if (!entry) return this.#load(request);
    // An empty file (or one whose replicas are all gone) needs no datanode row.
    if (entry.uuids.length === 0) return { blocks: entry.blocks, replicas: [], pipeline: [] };
    const datanodes = await this.#datanodes(entry.uuids);
    const replicas: ReplicaLocation[] = [];
    for (const r of entry.replicas) {
      const datanode = datanodes.get(r.uuid);
      if (datanode) replicas.push({ blockId: r.blockId, genStamp: r.genStamp, numBytes: r.numBytes, state: r.state, location: { datanode, storageId: r.storageId, storageType: r.storageType } });
    }
    return { blocks: entry.blocks, replicas, pipeline: [] };
  }

  /** A miss: the shared-lock read answers, and is kept when the file's blocks are all complete. */
  async #load(request: FileBlocksRequest): Promise<FileBlockRows> {
    const e0 = this.#cache.epoch;
    const rows = await this.#o.shared.get(request);
    const readAt = performance.now();
    const uuids = new Set<string>();
    for (const r of rows.replicas) {
      const d = r.location.datanode;
      if (!uuids.has(d.uuid)) this.#installDatanode(d, readAt, e0);
      uuids.add(d.uuid);
    }
    if (rows.blocks.every((b) => b.state === BlockState.Complete)) {
      const entry: FileEntry = {
        blocks: rows.blocks,
        replicas: rows.replicas.map((r) => ({ blockId: r.blockId, genStamp: r.genStamp, numBytes: r.numBytes, state: r.state, storageId: r.location.storageId, storageType: r.location.storageType, uuid: r.location.datanode.uuid })),
        uuids: [...uuids],
      };
      const bytes = FILE_ENTRY_BYTES + BLOCK_BYTES * rows.blocks.length + REPLICA_BYTES * rows.replicas.length;
      this.#cache.install(fileKey(request.inodeId), entry, bytes, [fileBlocksToken(request.inodeId), ...[...uuids].map(datanodeToken)], e0);
    }
    return rows;
  }

  #installDatanode(info: DatanodeInfo, readAt: number, e0: number): void {
    this.#cache.install(datanodeKey(info.uuid), { info, readAt } satisfies DatanodeEntry, DATANODE_ENTRY_BYTES, [datanodeToken(info.uuid)], e0);
  }

  /** The datanodes' rows: cached ones young enough that say live, the others read (shared) and kept. */
  async #datanodes(uuids: readonly string[]): Promise<Map<string, DatanodeInfo>> {
    const out = new Map<string, DatanodeInfo>();
    const heartbeatAfter = Date.now() - this.#o.heartbeatExpiryMs;
    const now = performance.now();
    const missing: string[] = [];
    for (const uuid of uuids) {
      const e = this.#cache.get<DatanodeEntry>('datanode', datanodeKey(uuid));
      if (e && now - e.readAt < this.#o.datanodeMaxAgeMs && isLive(e.info, heartbeatAfter)) out.set(uuid, e.info);
      else missing.push(uuid);
    }
    if (missing.length === 0) return out;
    const e0 = this.#cache.epoch;
    const rows = await this.#o.datanodes(missing);
    const readAt = performance.now();
    for (const d of rows) {
      out.set(d.uuid, d);
      this.#installDatanode(d, readAt, e0);
    }
    return out;
  }
}
