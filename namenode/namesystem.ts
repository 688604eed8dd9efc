import type { Logger } from 'pino';
import type { InodeRow } from './dal/inode-row';
import type { SqlPool } from './dal/sql-session';
import type { NamesystemConfig } from './namesystem-config';
import { getContentSummary, type ContentSummary } from './ops/content-summary';
import { complete } from './ops/complete';
import { create, type CreateRequest } from './ops/create';
import { deletePath } from './ops/delete';
import { renewLease } from './ops/lease';
import { mkdirs } from './ops/mkdirs';
import type { OpContext } from './ops/op-context';
import { rename, rename2 } from './ops/rename';
import { setOwner, setPermission, setReplication, setTimes } from './ops/attributes';
import { getFileInfo, getListing, type Listing } from './ops/status';
import { getXAttrs, listXAttrs, removeXAttr, setXAttr, type XAttr } from './ops/xattrs';
import type { Caller } from './security/caller';
import { HintCache } from './tx/hint-cache';
import { IdAllocator } from './tx/id-allocator';
import { TransactionRunner } from './tx/transaction-runner';

export interface ServerDefaults {
  readonly blockSize: number;
  readonly bytesPerChecksum: number;
  readonly writePacketSize: number;
  readonly replication: number;
  readonly fileBufferSize: number;
  readonly encryptDataTransfer: boolean;
  readonly trashInterval: number;
  /** ChecksumTypeProto.CHECKSUM_CRC32C */
  readonly checksumType: 2;
}

export interface FsStats {
  readonly capacity: number;
  readonly used: number;
  readonly remaining: number;
  readonly underReplicated: number;
  readonly corruptBlocks: number;
  readonly missingBlocks: number;
  readonly missingReplOneBlocks: number;
  readonly blocksInFuture: number;
  readonly pendingDeletionBlocks: number;
}

export interface NamesystemOptions {
  readonly pool: SqlPool;
  readonly config: NamesystemConfig;
  readonly logger: Logger;
  readonly hintCacheSize?: number;
}

/**
 * The namespace: one method per ClientProtocol operation, each one
 * transaction (or one coalesced read). Front doors (Hadoop IPC, WebHDFS,
 * gRPC) are thin adapters over this class and map its typed errors once.
 */
export class Namesystem {
  readonly #ctx: OpContext;
  readonly cache: HintCache;

  constructor(opts: NamesystemOptions) {
    this.cache = new HintCache(opts.hintCacheSize);
    const runner = new TransactionRunner({ pool: opts.pool, cache: this.cache, logger: opts.logger });
    this.#ctx = { runner, inodeIds: new IdAllocator(opts.pool, 'inode_id'), config: opts.config };
  }

  get config(): NamesystemConfig {
    return this.#ctx.config;
  }

  get runner(): TransactionRunner {
    return this.#ctx.runner;
  }

  getServerDefaults(): ServerDefaults {
    const c = this.#ctx.config;
    return {
      blockSize: c.blockSize,
      bytesPerChecksum: c.bytesPerChecksum,
      writePacketSize: c.writePacketSize,
      replication: c.replication,
      fileBufferSize: c.fileBufferSize,
      encryptDataTransfer: false,
      trashInterval: c.trashInterval,
      checksumType: 2,
    };
  }

  getFileInfo(caller: Caller, src: string): Promise<InodeRow | undefined> {
    return getFileInfo(this.#ctx, caller, src);
  }

  /** Symlinks are not resolved by nnfleet, so this equals getFileInfo. */
  getFileLinkInfo(caller: Caller, src: string): Promise<InodeRow | undefined> {
    return getFileInfo(this.#ctx, caller, src);
  }

  getListing(caller: Caller, src: string, startAfter: string): Promise<Listing | undefined> {
    return getListing(this.#ctx, caller, src, startAfter);
  }

  mkdirs(caller: Caller, src: string, masked: number, createParent: boolean): Promise<boolean> {
    return mkdirs(this.#ctx, caller, src, masked, createParent);
  }

  create(caller: Caller, req: CreateRequest): Promise<InodeRow> {
    return create(this.#ctx, caller, req);
  }

  complete(caller: Caller, src: string, clientName: string): Promise<boolean> {
    return complete(this.#ctx, caller, src, clientName);
  }

  delete(caller: Caller, src: string, recursive: boolean): Promise<boolean> {
    return deletePath(this.#ctx, caller, src, recursive);
  }

  rename(caller: Caller, src: string, dst: string): Promise<boolean> {
    return rename(this.#ctx, caller, src, dst);
  }

  rename2(caller: Caller, src: string, dst: string, overwrite: boolean): Promise<void> {
    return rename2(this.#ctx, caller, src, dst, overwrite);
  }

  setPermission(caller: Caller, src: string, permission: number): Promise<void> {
    return setPermission(this.#ctx, caller, src, permission);
  }

  setOwner(caller: Caller, src: string, owner: string | undefined, group: string | undefined): Promise<void> {
    return setOwner(this.#ctx, caller, src, owner, group);
  }

  setTimes(caller: Caller, src: string, mtime: number, atime: number): Promise<void> {
    return setTimes(this.#ctx, caller, src, mtime, atime);
  }

  setReplication(caller: Caller, src: string, replication: number): Promise<boolean> {
    return setReplication(this.#ctx, caller, src, replication);
  }

  getContentSummary(caller: Caller, src: string): Promise<ContentSummary> {
    return getContentSummary(this.#ctx, caller, src);
  }

  /** No datanodes report yet in this layer: capacity comes with the block manager. */
  async getFsStats(): Promise<FsStats> {
    return {
      capacity: 0,
      used: 0,
      remaining: 0,
      underReplicated: 0,
      corruptBlocks: 0,
      missingBlocks: 0,
      missingReplOneBlocks: 0,
      blocksInFuture: 0,
      pendingDeletionBlocks: 0,
    };
  }

  renewLease(clientName: string): Promise<void> {
    return renewLease(this.#ctx, clientName);
  }

  setXAttr(caller: Caller, src: string, xattr: XAttr, flags: number): Promise<void> {
    return setXAttr(this.#ctx, caller, src, xattr, flags);
  }

  getXAttrs(caller: Caller, src: string, wanted: readonly XAttr[]): Promise<XAttr[]> {
    return getXAttrs(this.#ctx, caller, src, wanted);
  }

  listXAttrs(caller: Caller, src: string): Promise<XAttr[]> {
    return listXAttrs(this.#ctx, caller, src);
  }

  removeXAttr(caller: Caller, src: string, xattr: XAttr): Promise<void> {
    return removeXAttr(this.#ctx, caller, src, xattr);
  }
}
