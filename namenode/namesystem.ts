import { isLockNotGranted } from './dal/db-errors';
import type { Logger } from 'pino';
import { COUNTER_BLOCK_ID, COUNTER_GENERATION_STAMP, COUNTER_INODE_ID } from '../schema/counters';
import type { Db, DbSession } from './dal/db-session';
import type { Repositories } from './dal/repositories';
import type { InodeRow } from './dal/inode-row';
import { sqlRepositories } from './dal/sql/sql-repositories';
import type { MetadataCache } from './tx/metadata-cache';
import type { EntryCache, RowCache } from './tx/row-cache';
import type { NamespaceIdentity } from '../schema/namespace-rows';
import type { NamesystemConfig } from './namesystem-config';
import { getContentSummary, getQuotaUsage } from './ops/content-summary';
import { setQuota, type SetQuotaRequest } from './ops/set-quota';
import { complete } from './ops/complete';
import { create, type CreateRequest } from './ops/create';
import { deletePath } from './ops/delete';
import { renewLease } from './ops/lease';
import { mkdirs } from './ops/mkdirs';
import type { OpContext } from './tx/op-context';
import { rename, rename2 } from './ops/rename';
import { setOwner, setPermission, setReplication, setTimes } from './ops/attributes';
import { getFileInfo, getListing, type Listing } from './ops/status';
import { getLocatedListing } from './ops/located-listing';
import type { LocatedDirectoryListing } from './domain/located-directory-listing';
import { getXAttrs, listXAttrs, removeXAttr, setXAttr } from './ops/xattrs';
import type { XAttr } from './domain/xattr';
import type { AclEntry, AclStatus } from './domain/acl';
import { getAclStatus, modifyAclEntries, removeAcl, removeAclEntries, removeDefaultAcl, setAcl } from './ops/acl';
import type { CallCount } from './tx/call-count';
import type { Caller } from './security/caller';
import type { RetryKey } from './domain/retry-key';
import { DatanodeManager } from './blocks/datanode-manager';
import { findDatanode, startDecommission, stopDecommission } from './blocks/decommission';
import { refreshNodes, type RefreshedNodes } from './blocks/refresh-nodes';
import { isLive, liveAfter, DatanodeState, type DatanodeInfo } from './domain/datanode-info';
import type { BlockRef, LocatedBlock, LocatedBlocks, Location } from './domain/located-blocks';
import { addBlock, type AddBlockRequest } from './ops/add-block';
import { getBlockLocations } from './ops/block-locations';
import { abandonBlock, fsync, getAdditionalDatanode, updateBlockForPipeline, updatePipeline, type NewPipeline } from './ops/pipeline';
import { fsStats } from './ops/fs-stats';
import { recoverLease } from './ops/recover-lease';
import { append } from './ops/append';
import { truncate } from './ops/truncate';
import { HintCache } from './tx/hint-cache';
import { IdAllocator } from './tx/id-allocator';
import type { FleetMembership } from './tx/fleet-membership';
import { TransactionRunner } from './tx/transaction-runner';
import type { ContentSummary } from './domain/content-summary';
import type { DatanodeReportType } from './domain/datanode-report-type';
import type { DirectoryListing, EncodedListing, FileStatus } from './domain/file-status';
import { fileStatusOfRow } from './domain/file-status-of-row';
import type { FsStats } from './domain/fs-stats';
import type { ServerDefaults } from './domain/server-defaults';
import type { QuotaUsage } from './domain/quota-usage';
import { safeModeOn, setSafeMode } from './ops/safe-mode';
import { listOpenFiles } from './ops/open-files';
import { batchedListing, type BatchedListing } from './ops/batched-listing';
import type { OpenFilesBatch, OpenFilesType } from './domain/open-file';
import type { SafeModeAction } from './domain/safe-mode-action';
import { requireSuperuser } from './security/superuser';
import type { BlockStoragePolicy } from './domain/storage-policies';
import type { FsAction } from './security/permission-checker';
import { createSymlink, getFileLinkInfo, getLinkTarget } from './ops/symlink';
import { concat } from './ops/concat';
import { checkAccess, getPreferredBlockSize, isFileClosed } from './ops/path-checks';
import { getStoragePolicies, getStoragePolicy, setStoragePolicy, unsetStoragePolicy } from './ops/storage-policy';
import { BlockOwners } from './tx/block-owners';
import { ReplicaWaiters } from './tx/replica-waiters';
import { fileBlockBatcher } from './blocks/file-block-batcher';
import { childPageBatcher, childStatusBatcher } from './ops/child-page-batcher';
import { CachedChildPages } from './ops/cached-child-pages';
import { maxListingEntries } from './dal/cached-listing';
import { CachedFileBlocks } from './blocks/cached-file-blocks';
import { blockKeyAge, fleetNamenodes, namespaceTotals, replicasPerDatanode, schemaVersion } from './ops/fleet-status';
import type { NamenodeMember, NamespaceTotals } from './domain/fleet-status';
import type { ChangeLogRepository } from './dal/change-log-repository';
import { sqlChangeLog } from './dal/sql/change-log-sql';
import { ChangeLogWriter } from './changelog/change-log-writer';
import { ChangeFeed, ChangeLogTrimmed } from './changelog/change-feed';
import type { ChangeBatch } from './domain/change-event';
import { NamesystemError } from './errors';
import { COUNTER_CHANGE_TXN } from '../schema/tables-change-log';
import { allowSnapshot, disallowSnapshot } from './ops/snapshot-allow';
import { mayReadSnapshot, ORDINARY, snapshotBlockLocations, snapshotContentSummary, snapshotFileInfo, snapshotListing } from './ops/snapshot-reads';
import { createSnapshot, deleteSnapshot, renameSnapshot } from './ops/snapshot-ops';
import { getSnapshotListing, getSnapshottableDirListing } from './ops/snapshot-listing';
import { getSnapshotDiffReport, getSnapshotDiffReportListing } from './ops/snapshot-diff';
import type { DiffEntry, DiffListing } from './domain/snapshot-diff';
import type { DiffCursor } from './ops/snapshot-diff-pages';
import type { SnapshotStatus, SnapshottableDirectoryStatus } from './domain/snapshot-status';

/** dfs.namenode.inotify.max.events.per.rpc is 1000 events; a position holds one transaction's few. */
const INOTIFY_POSITIONS_PER_CALL = 1000;

async function loadNamespaceIdentity(db: Db, dal: Repositories): Promise<NamespaceIdentity> {
  const identity = await db.run(dal.namespace.findIdentity());
  if (!identity) throw new Error('namespace_info is empty: format the database first (nnfleet format)');
  return identity;
}

/** A file reopened for append: the partial last block to continue, if any. */
export interface AppendedFile {
  readonly block: LocatedBlock | undefined;
  readonly file: FileStatus;
}

export interface NamesystemOptions {
  readonly db: Db;
  /** A session outside the pool for id ranges and generation stamps (see SideChannel). */
  readonly counters: DbSession;
  /** The repositories `db` runs; the SQL ones unless a test brings its own. */
  readonly dal?: Repositories;
  /** Path → inode hints; an in-process LRU unless a fleet-wide cache is plugged in. */
  readonly cache?: MetadataCache;
  /** The coherent inode cache (namenode/cache) when Redis is configured; without it every lookup reads the database. */
  readonly rows?: RowCache | undefined;
  readonly config: NamesystemConfig;
  readonly logger: Logger;
  /** The change log's table; the SQL one unless a test brings its own repositories (then none: no change log). */
  readonly changeLog?: ChangeLogRepository;
  /** How many client calls the namenode is serving (namenode/ipc/calls-in-progress.ts); without it short write groups never wait. */
  readonly callsInProgress?: CallCount;
}

/**
 * getBlockLocations' and getListing's reads: coalesced database reads, or
 * with a coherent cache, closed files' block rows and small directories'
 * listings served from it (cached-file-blocks.ts, cached-child-pages.ts).
 */
function cachedReads(db: Db, dal: Repositories, config: NamesystemConfig, entries: EntryCache | undefined): Pick<OpContext, 'fileBlockReads' | 'childPageReads' | 'childStatusReads'> {
  const fileBlockReads = fileBlockBatcher(db, dal);
  const childPageReads = childPageBatcher(db, dal, config.listingLimit);
  // Without a coherent cache, Hadoop IPC's listings read the children's stored status bytes (ops/status.ts).
  if (!entries) return { fileBlockReads, childPageReads, childStatusReads: childStatusBatcher(db, dal, config.listingLimit) };
  return {
    fileBlockReads: new CachedFileBlocks(entries, {
      direct: fileBlockReads,
      shared: fileBlockBatcher(db, dal, 'shared'),
      datanodes: (uuids) => db.run(dal.datanodes.findByPkBatched(uuids, 'shared')),
      heartbeatExpiryMs: config.heartbeatExpiryMs,
      datanodeMaxAgeMs: config.heartbeatIntervalMs,
    }),
    childPageReads: new CachedChildPages(entries, {
      direct: childPageReads,
      firstChildren: async (parentId, limit) => {
        try {
          return (await db.run(dal.inodes.findChildPagesBatched([{ parentId, startAfter: '' }], limit, 'sharedNoWait')))[0] ?? [];
        } catch (e) {
          if (isLockNotGranted(e)) return undefined;
          throw e;
        }
      },
      pageSize: config.listingLimit,
      maxEntries: maxListingEntries(config.listingLimit),
    }),
  };
}

/** A found row's status (getFileInfo's answer). */
const statusOfFound = (row: InodeRow | undefined): FileStatus | undefined => row && fileStatusOfRow(row, '');

/** A page of stored status bytes as it is, a page of rows as statuses (getListing's answer). */
const listingOfPage = (listing: Listing | EncodedListing | undefined): DirectoryListing | EncodedListing | undefined =>
  listing && ('encoded' in listing ? listing : listingOfRows(listing));

/** A page of rows as statuses (getListing's answer). */
const listingOfRows = (listing: Listing | undefined): DirectoryListing | undefined =>
  listing && { entries: listing.entries.map((row) => fileStatusOfRow(row, row.name)), remaining: listing.remaining };

/**
 * The namespace: one method per ClientProtocol operation, each one
 * transaction (or one coalesced read). Front doors (Hadoop IPC, WebHDFS,
 * gRPC) are thin adapters over this class and map its typed errors once.
 */
export class Namesystem {
  readonly #ctx: OpContext;
  #membership: FleetMembership | undefined;
  readonly cache: MetadataCache;
  readonly db: Db;
  readonly datanodes: DatanodeManager;
  /** The change log's reading side (Watch, inotify); undefined without a change-log table (unit tests' repositories). */
  readonly changeFeed: ChangeFeed | undefined;

  constructor(opts: NamesystemOptions) {
    const dal = opts.dal ?? sqlRepositories;
    const counters = opts.counters;
    this.db = opts.db;
    this.cache = opts.cache ?? new HintCache(opts.config.hintCacheBytes);
    const membership = this.#membershipView();
    const changeLog = opts.changeLog ?? (opts.dal ? undefined : sqlChangeLog);
    const changeWriter = changeLog && opts.config.changeLog ? new ChangeLogWriter(new IdAllocator(counters, dal.counters, COUNTER_CHANGE_TXN), changeLog) : undefined;
    const runner = new TransactionRunner({ db: opts.db, dal, cache: this.cache, rows: opts.rows, logger: opts.logger, membership, retryCacheExpiryMs: opts.config.retryCacheExpiryMs, changeLog: changeWriter, groupCommit: opts.config.groupCommit, hintedWrites: opts.config.hintedWrites, lookupLinger: { minBatch: opts.config.lookupLingerBatch, maxMs: opts.config.lookupLingerMs, paidAt: opts.config.lookupLingerPaidAt }, writeLinger: { minBatch: opts.config.writeLingerBatch, maxMs: opts.config.writeLingerMs, paidAt: 2 }, callsInProgress: opts.callsInProgress });
    this.changeFeed = changeLog && new ChangeFeed(runner, changeLog);
    let identity: Promise<NamespaceIdentity> | undefined;
    // A new block's stamp only has to be unique: from a prefetched range. A stamp above a block's
    // current one (recovery, pipeline update, truncate) must exceed every stamp any namenode handed
    // out, ranges included: the counter row itself, which every range was taken from.
    const newBlockStamps = new IdAllocator(counters, dal.counters, COUNTER_GENERATION_STAMP);
    this.#ctx = {
      runner,
      dal,
      inodeIds: new IdAllocator(counters, dal.counters, COUNTER_INODE_ID),
      blockIds: new IdAllocator(counters, dal.counters, COUNTER_BLOCK_ID),
      nextGenerationStamp: (above) => (above === undefined ? newBlockStamps.next() : counters.run(dal.counters.nextGenerationStamp(above))),
      config: opts.config,
      replicaWaiters: new ReplicaWaiters(),
      blockOwners: new BlockOwners(),
      ...cachedReads(opts.db, dal, opts.config, opts.rows?.entries),
      membership,
      namespace: () => (identity ??= loadNamespaceIdentity(opts.db, dal)),
    };
    this.datanodes = new DatanodeManager(this.#ctx);
  }

  namespace(): Promise<NamespaceIdentity> {
    return this.#ctx.namespace();
  }

  /**
   * Joins leader election's membership: from now on this namenode owns its
   * subtree locks under its election id and tells live owners' locks from
   * dead ones. Until then every lock counts as live and no subtree operation starts.
   */
  attachMembership(membership: FleetMembership): void {
    this.#membership = membership;
  }

  #membershipView(): FleetMembership {
    const current = () => this.#membership;
    return {
      get selfId() {
        return current()?.selfId ?? 0;
      },
      isLive: (id) => current()?.isLive(id) ?? true,
    };
  }

  get context(): OpContext {
    return this.#ctx;
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
      checksumType: 'CRC32C',
    };
  }

  getFileInfo(caller: Caller, src: string): Promise<FileStatus | undefined> {
    // Not async: the hottest call's ordinary path is the read's promise and one reaction.
    let snapshot: boolean;
    try {
      snapshot = mayReadSnapshot(src);
    } catch (err) {
      return Promise.reject(err);
    }
    if (!snapshot) return getFileInfo(this.#ctx, caller, src).then(statusOfFound);
    return snapshotFileInfo(this.#ctx, caller, src).then((seen) => (seen === ORDINARY ? getFileInfo(this.#ctx, caller, src) : seen)).then(statusOfFound);
  }

  /** The status of `src` itself: a final symlink is reported, not followed (getFileInfo refuses it). */
  async getFileLinkInfo(caller: Caller, src: string): Promise<FileStatus | undefined> {
    const row = await getFileLinkInfo(this.#ctx, caller, src);
    return row && fileStatusOfRow(row, '');
  }

  /**
   * A page of `src`'s children. With `encoded` (Hadoop IPC, which answers
   * bytes) the page may come as the children's stored status bytes instead
   * of statuses.
   */
  getListing(caller: Caller, src: string, startAfter: string): Promise<DirectoryListing | undefined>;
  getListing(caller: Caller, src: string, startAfter: string, encoded: true): Promise<DirectoryListing | EncodedListing | undefined>;
  getListing(caller: Caller, src: string, startAfter: string, encoded = false): Promise<DirectoryListing | EncodedListing | undefined> {
    // Not async, as getFileInfo.
    let snapshot: boolean;
    try {
      snapshot = mayReadSnapshot(src);
    } catch (err) {
      return Promise.reject(err);
    }
    if (!snapshot) return getListing(this.#ctx, caller, src, startAfter, encoded).then(listingOfPage);
    return snapshotListing(this.#ctx, caller, src, startAfter).then((seen) => (seen === ORDINARY ? getListing(this.#ctx, caller, src, startAfter) : seen)).then(listingOfPage);
  }

  /** getListing with needLocation: each file of the page with its block locations. */
  async getLocatedListing(caller: Caller, src: string, startAfter: string): Promise<LocatedDirectoryListing | undefined> {
    const listing = await getLocatedListing(this.#ctx, caller, src, startAfter);
    return listing && { entries: listing.entries.map((e) => ({ status: fileStatusOfRow(e.row, e.row.name), locations: e.locations })), remaining: listing.remaining };
  }

  mkdirs(caller: Caller, src: string, masked: number, createParent: boolean, unmasked?: number): Promise<boolean> {
    return mkdirs(this.#ctx, caller, src, masked, createParent, unmasked);
  }

  async create(caller: Caller, req: CreateRequest, retryKey?: RetryKey): Promise<FileStatus> {
    return fileStatusOfRow(await create(this.#ctx, caller, req, retryKey), '');
  }

  complete(caller: Caller, src: string, clientName: string, last?: BlockRef): Promise<boolean> {
    return complete(this.#ctx, caller, src, clientName, last);
  }

  getBlockLocations(caller: Caller, src: string, offset: number, length: number): Promise<LocatedBlocks> {
    // Not async on the ordinary path (an async frame returning the read's promise settles two turns later).
    let snapshot: boolean;
    try {
      snapshot = mayReadSnapshot(src);
    } catch (err) {
      return Promise.reject(err);
    }
    if (!snapshot) return getBlockLocations(this.#ctx, caller, src, offset, length);
    return snapshotBlockLocations(this.#ctx, caller, src, offset, length).then((seen) => (seen === ORDINARY ? getBlockLocations(this.#ctx, caller, src, offset, length) : seen));
  }

  addBlock(caller: Caller, req: AddBlockRequest): Promise<LocatedBlock> {
    return addBlock(this.#ctx, caller, req);
  }

  abandonBlock(caller: Caller, src: string, block: BlockRef, clientName: string): Promise<void> {
    return abandonBlock(this.#ctx, caller, src, block, clientName);
  }

  updateBlockForPipeline(block: BlockRef, clientName: string): Promise<LocatedBlock> {
    return updateBlockForPipeline(this.#ctx, block, clientName);
  }

  updatePipeline(clientName: string, oldBlock: BlockRef, newBlock: BlockRef, nodes: readonly NewPipeline[], retryKey?: RetryKey): Promise<void> {
    return updatePipeline(this.#ctx, clientName, oldBlock, newBlock, nodes, retryKey);
  }

  getAdditionalDatanode(caller: Caller, src: string, block: BlockRef, existing: readonly Location[], exclude: readonly string[], count: number, clientName: string): Promise<LocatedBlock> {
    return getAdditionalDatanode(this.#ctx, caller, src, block, existing, exclude, count, clientName);
  }

  fsync(caller: Caller, src: string, clientName: string, lastBlockLength: number): Promise<void> {
    return fsync(this.#ctx, caller, src, clientName, lastBlockLength);
  }

  getPreferredBlockSize(caller: Caller, src: string): Promise<number> {
    return getPreferredBlockSize(this.#ctx, caller, src);
  }

  async append(caller: Caller, src: string, clientName: string, flags: number, retryKey?: RetryKey): Promise<AppendedFile> {
    const r = await append(this.#ctx, caller, src, clientName, flags, retryKey);
    return { block: r.block, file: fileStatusOfRow(r.file, '') };
  }

  truncate(caller: Caller, src: string, newLength: number, clientName: string, retryKey?: RetryKey): Promise<boolean> {
    return truncate(this.#ctx, caller, src, newLength, clientName, retryKey);
  }

  recoverLease(caller: Caller, src: string): Promise<boolean> {
    return recoverLease(this.#ctx, caller, src);
  }

  async getDatanodeReport(type: DatanodeReportType): Promise<DatanodeInfo[]> {
    const heartbeatAfter = liveAfter(Date.now(), this.#ctx.config.heartbeatExpiryMs);
    const live = (d: DatanodeInfo) => isLive(d, heartbeatAfter);
    const pick: Record<DatanodeReportType, (d: DatanodeInfo) => boolean> = {
      all: () => true,
      live,
      dead: (d) => !live(d),
      decommissioning: (d) => d.state === DatanodeState.Decommissioning,
    };
    return (await this.datanodes.report()).filter(pick[type]);
  }

  /** One datanode by uuid or HOST:XFERPORT (FileNotFound when none). */
  async getDatanode(name: string): Promise<DatanodeInfo> {
    return findDatanode(await this.datanodes.report(), name);
  }

  /** The superuser takes a datanode out of service: see blocks/decommission. Answers it as it is now. */
  async decommissionDatanode(caller: Caller, name: string): Promise<DatanodeInfo> {
    requireSuperuser(caller);
    const dn = await this.getDatanode(name);
    await startDecommission(this.#ctx, dn.uuid);
    return this.getDatanode(dn.uuid);
  }

  /** The superuser puts a decommissioning or decommissioned datanode back in service. */
  async recommissionDatanode(caller: Caller, name: string): Promise<DatanodeInfo> {
    requireSuperuser(caller);
    const dn = await this.getDatanode(name);
    await stopDecommission(this.#ctx, dn.uuid);
    return this.getDatanode(dn.uuid);
  }

  /** The superuser's `dfsadmin -refreshNodes`: the datanodes agree with this namenode's hosts exclude file (blocks/refresh-nodes). */
  async refreshNodes(caller: Caller): Promise<RefreshedNodes> {
    requireSuperuser(caller);
    return refreshNodes(this.#ctx, await this.datanodes.report());
  }

  delete(caller: Caller, src: string, recursive: boolean, retryKey?: RetryKey): Promise<boolean> {
    return deletePath(this.#ctx, caller, src, recursive, retryKey);
  }

  rename(caller: Caller, src: string, dst: string, retryKey?: RetryKey): Promise<boolean> {
    return rename(this.#ctx, caller, src, dst, retryKey);
  }

  rename2(caller: Caller, src: string, dst: string, overwrite: boolean, retryKey?: RetryKey, toTrash = false): Promise<void> {
    return rename2(this.#ctx, caller, src, dst, overwrite, retryKey, toTrash);
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

  async getContentSummary(caller: Caller, src: string): Promise<ContentSummary> {
    const seen = mayReadSnapshot(src) ? await snapshotContentSummary(this.#ctx, caller, src) : ORDINARY;
    return seen === ORDINARY ? getContentSummary(this.#ctx, caller, src) : seen;
  }

  getFsStats(): Promise<FsStats> {
    return fsStats(this.#ctx);
  }

  /** The web UI's and /jmx's totals: whole-table counts. */
  getNamespaceTotals(): Promise<NamespaceTotals> {
    return namespaceTotals(this.#ctx);
  }

  getReplicasPerDatanode(): Promise<ReadonlyMap<string, number>> {
    return replicasPerDatanode(this.#ctx);
  }

  /** The fleet's live namenodes, the leader first. */
  getFleetNamenodes(): Promise<NamenodeMember[]> {
    return fleetNamenodes(this.#ctx);
  }

  getSchemaVersion(): Promise<number> {
    return schemaVersion(this.#ctx);
  }

  /** Age of the newest active block-token key, undefined when there is none. */
  getBlockKeyAge(now = Date.now()): Promise<number | undefined> {
    return blockKeyAge(this.#ctx, now);
  }

  renewLease(clientName: string): Promise<void> {
    return renewLease(this.#ctx, clientName);
  }

  setXAttr(caller: Caller, src: string, xattr: XAttr, flags: number, retryKey?: RetryKey): Promise<void> {
    return setXAttr(this.#ctx, caller, src, xattr, flags, retryKey);
  }

  getXAttrs(caller: Caller, src: string, wanted: readonly XAttr[]): Promise<XAttr[]> {
    return getXAttrs(this.#ctx, caller, src, wanted);
  }

  listXAttrs(caller: Caller, src: string): Promise<XAttr[]> {
    return listXAttrs(this.#ctx, caller, src);
  }

  removeXAttr(caller: Caller, src: string, xattr: XAttr, retryKey?: RetryKey): Promise<void> {
    return removeXAttr(this.#ctx, caller, src, xattr, retryKey);
  }

  modifyAclEntries(caller: Caller, src: string, spec: readonly AclEntry[]): Promise<void> {
    return modifyAclEntries(this.#ctx, caller, src, spec);
  }

  removeAclEntries(caller: Caller, src: string, spec: readonly AclEntry[]): Promise<void> {
    return removeAclEntries(this.#ctx, caller, src, spec);
  }

  removeDefaultAcl(caller: Caller, src: string): Promise<void> {
    return removeDefaultAcl(this.#ctx, caller, src);
  }

  removeAcl(caller: Caller, src: string): Promise<void> {
    return removeAcl(this.#ctx, caller, src);
  }

  setAcl(caller: Caller, src: string, spec: readonly AclEntry[]): Promise<void> {
    return setAcl(this.#ctx, caller, src, spec);
  }

  getAclStatus(caller: Caller, src: string): Promise<AclStatus> {
    return getAclStatus(this.#ctx, caller, src);
  }

  /** Whether the fleet is in safe mode (anyone may ask). */
  getSafeMode(): Promise<boolean> {
    return safeModeOn(this.#ctx);
  }

  /** Fleet-wide: see ops/safe-mode. */
  setSafeMode(caller: Caller, action: SafeModeAction): Promise<boolean> {
    return setSafeMode(this.#ctx, caller, action);
  }

  /** A quota directory's usage from its counters; anything else counted as the content summary counts it. */
  getQuotaUsage(caller: Caller, src: string): Promise<QuotaUsage> {
    return getQuotaUsage(this.#ctx, caller, src);
  }

  /** See ops/set-quota. */
  /** HDFS inotify's getCurrentEditLogTxid: the change log's last position (superuser only, as HDFS). */
  async getCurrentEditLogTxid(caller: Caller): Promise<number> {
    requireSuperuser(caller);
    const feed = this.#changeFeed();
    await feed.sequence();
    return (await feed.clocks()).head;
  }

  /** HDFS inotify's getEditsFromTxid: the batches from position `txid` on, or from the oldest kept when it was trimmed (superuser only). */
  async getEditsFromTxid(caller: Caller, txid: number): Promise<{ readonly batches: readonly ChangeBatch[]; readonly head: number }> {
    requireSuperuser(caller);
    const feed = this.#changeFeed();
    for (;;) {
      const { trimmed } = await feed.clocks();
      try {
        const { batches, clocks } = await feed.readAfter(Math.max(txid - 1, trimmed), INOTIFY_POSITIONS_PER_CALL);
        return { batches, head: clocks.head };
      } catch (e) {
        // Trimmed while reading: answer from the new oldest position (the client reports what it missed).
        if (!(e instanceof ChangeLogTrimmed)) throw e;
      }
    }
  }

  #changeFeed(): ChangeFeed {
    if (!this.changeFeed) throw new NamesystemError('Unsupported', 'this namesystem has no change log');
    return this.changeFeed;
  }

  setQuota(caller: Caller, req: SetQuotaRequest): Promise<void> {
    return setQuota(this.#ctx, caller, req);
  }

  /** Each datanode of the report with its storages (one per datanode today), for the superuser. */
  async getDatanodeStorageReport(caller: Caller, type: DatanodeReportType): Promise<{ datanode: DatanodeInfo; storages: Location[] }[]> {
    requireSuperuser(caller);
    const datanodes = await this.getDatanodeReport(type);
    const storages = datanodes.length === 0 ? [] : await this.runner.query('getDatanodeStorageReport', this.#ctx.dal.datanodes.findStoragesByUuidBatched(datanodes.map((d) => d.uuid)));
    return datanodes.map((datanode) => ({ datanode, storages: storages.filter((s) => s.datanode.uuid === datanode.uuid) }));
  }

  listOpenFiles(caller: Caller, prevId: number, types: readonly OpenFilesType[], path: string): Promise<OpenFilesBatch> {
    return listOpenFiles(this.#ctx, caller, prevId, types, path);
  }

  getBatchedListing(caller: Caller, paths: readonly string[], startAfter: Buffer, needLocation: boolean): Promise<BatchedListing> {
    return batchedListing(paths, startAfter, this.#ctx.config.listingLimit, async (src, after) => {
      if (needLocation) return this.getLocatedListing(caller, src, after);
      const listing = await this.getListing(caller, src, after);
      return listing && { entries: listing.entries.map((status) => ({ status, locations: undefined })), remaining: listing.remaining };
    });
  }

  /** A client read a corrupt replica: marked as a datanode's report would (HDFS asks no privilege). */
  reportBadBlocks(bad: readonly { blockId: number; datanodeUuid: string; storageId: string }[]): Promise<void> {
    return this.datanodes.markCorrupt(undefined, bad);
  }

  createSymlink(caller: Caller, target: string, link: string, dirPerm: number, createParent: boolean, retryKey?: RetryKey): Promise<void> {
    return createSymlink(this.#ctx, caller, target, link, dirPerm, createParent, retryKey);
  }

  getLinkTarget(caller: Caller, src: string): Promise<string> {
    return getLinkTarget(this.#ctx, caller, src);
  }

  concat(caller: Caller, trg: string, srcs: readonly string[], retryKey?: RetryKey): Promise<void> {
    return concat(this.#ctx, caller, trg, srcs, retryKey);
  }

  isFileClosed(caller: Caller, src: string): Promise<boolean> {
    return isFileClosed(this.#ctx, caller, src);
  }

  checkAccess(caller: Caller, src: string, mode: FsAction): Promise<void> {
    return checkAccess(this.#ctx, caller, src, mode);
  }

  setStoragePolicy(caller: Caller, src: string, policyName: string): Promise<void> {
    return setStoragePolicy(this.#ctx, caller, src, policyName);
  }

  unsetStoragePolicy(caller: Caller, src: string): Promise<void> {
    return unsetStoragePolicy(this.#ctx, caller, src);
  }

  getStoragePolicy(caller: Caller, src: string): Promise<BlockStoragePolicy> {
    return getStoragePolicy(this.#ctx, caller, src);
  }

  getStoragePolicies(): readonly BlockStoragePolicy[] {
    return getStoragePolicies();
  }

  /** Snapshots on rows: see namenode/snapshot/README.md. */
  allowSnapshot(caller: Caller, src: string): Promise<void> {
    return allowSnapshot(this.#ctx, caller, src);
  }

  disallowSnapshot(caller: Caller, src: string): Promise<void> {
    return disallowSnapshot(this.#ctx, caller, src);
  }

  createSnapshot(caller: Caller, root: string, name: string | undefined, retryKey?: RetryKey): Promise<string> {
    return createSnapshot(this.#ctx, caller, root, name, retryKey);
  }

  deleteSnapshot(caller: Caller, root: string, name: string, retryKey?: RetryKey): Promise<void> {
    return deleteSnapshot(this.#ctx, caller, root, name, retryKey);
  }

  renameSnapshot(caller: Caller, root: string, oldName: string, newName: string, retryKey?: RetryKey): Promise<void> {
    return renameSnapshot(this.#ctx, caller, root, oldName, newName, retryKey);
  }

  getSnapshottableDirListing(caller: Caller): Promise<SnapshottableDirectoryStatus[] | undefined> {
    return getSnapshottableDirListing(this.#ctx, caller);
  }

  getSnapshotListing(caller: Caller, root: string): Promise<SnapshotStatus[]> {
    return getSnapshotListing(this.#ctx, caller, root);
  }

  getSnapshotDiffReport(caller: Caller, root: string, from: string, to: string): Promise<DiffEntry[]> {
    return getSnapshotDiffReport(this.#ctx, caller, root, from, to);
  }

  getSnapshotDiffReportListing(caller: Caller, root: string, from: string, to: string, cursor?: DiffCursor): Promise<DiffListing & { isFromEarlier: boolean; next: DiffCursor }> {
    return getSnapshotDiffReportListing(this.#ctx, caller, root, from, to, cursor);
  }
}
