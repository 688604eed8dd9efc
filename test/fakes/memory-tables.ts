import { keyOf, type InodeRow } from '../../namenode/dal/inode-row';
import type { LeasePath } from '../../namenode/dal/lease-repository';
import type { PipelineTarget } from '../../namenode/dal/pipeline-repository';
import type { QuotaLimitRow, UsageStripeRow } from '../../namenode/dal/quota-repository';
import type { InodeVersion } from '../../namenode/dal/inode-version-repository';
import type { BlockVersion } from '../../namenode/dal/block-version-repository';
import type { SnapshotRow, SnapshottableDirRow } from '../../namenode/dal/snapshot-repository';
import type { ReplicaRow } from '../../namenode/dal/replica-repository';
import type { SubtreeOp } from '../../namenode/dal/subtree-op-repository';
import type { XAttrRow } from '../../namenode/dal/xattr-repository';
import type { BlockKeyRecord } from '../../namenode/domain/block-key';
import type { Block } from '../../namenode/domain/located-blocks';
import { compositeKey, MemoryTable } from './memory-table';
import type {
  CommandRecord,
  CounterRow,
  DatanodeRow,
  LeaseRow,
  NamenodeRow,
  NamespaceInfoRow,
  RetryCacheRow,
  StorageRecord,
  UnderReplicatedRow,
} from './memory-rows';
import type { UndoLog } from './undo-log';

/** Every table of the schema, keyed by its real primary key (and unique keys). */
export class MemoryTables {
  readonly subtreeOps = new MemoryTable<SubtreeOp>('subtree_ops', (o) => String(o.rootId));
  readonly inodes = new MemoryTable<InodeRow>('inodes', keyOf, [(r) => String(r.id)]);
  readonly xattrs = new MemoryTable<XAttrRow>('xattrs', (x) => compositeKey(x.inodeId, x.namespace, x.name));
  readonly counters = new MemoryTable<CounterRow>('counters', (c) => c.name);
  readonly namespaceInfo = new MemoryTable<NamespaceInfoRow>('namespace_info', (n) => String(n.id));
  readonly leases = new MemoryTable<LeaseRow>('leases', (l) => l.holder);
  readonly leasePaths = new MemoryTable<LeasePath>('lease_paths', (p) => String(p.inodeId));
  readonly blocks = new MemoryTable<Block>('blocks', (b) => compositeKey(b.inodeId, b.index), [(b) => String(b.blockId)]);
  readonly replicas = new MemoryTable<ReplicaRow>('replicas', (r) => compositeKey(r.inodeId, r.blockId, r.storageId));
  readonly pipelineTargets = new MemoryTable<PipelineTarget>('pipeline_targets', (p) => compositeKey(p.inodeId, p.blockId, p.position));
  readonly datanodes = new MemoryTable<DatanodeRow>('datanodes', (d) => d.uuid);
  readonly storages = new MemoryTable<StorageRecord>('storages', (s) => s.storageId);
  readonly commands = new MemoryTable<CommandRecord>('datanode_commands', (c) => compositeKey(c.datanodeUuid, c.blockId, c.kind));
  readonly underReplicated = new MemoryTable<UnderReplicatedRow>('under_replicated', (u) => String(u.blockId));
  readonly namenodes = new MemoryTable<NamenodeRow>('namenodes', (n) => String(n.id));
  readonly retryCache = new MemoryTable<RetryCacheRow>('retry_cache', (r) => compositeKey(r.clientId.toString('hex'), r.callId));
  readonly membershipSecret = new MemoryTable<{ readonly id: number; readonly secret: Buffer }>('membership_secret', (m) => String(m.id));
  readonly blockKeys = new MemoryTable<BlockKeyRecord>('block_keys', (k) => String(k.keyId));
  readonly quotaLimits = new MemoryTable<QuotaLimitRow>('quota_limits', (l) => compositeKey(l.dirId, l.dim));
  readonly quotaUsage = new MemoryTable<UsageStripeRow>('quota_usage', (s) => compositeKey(s.dirId, s.dim, s.stripe));
  readonly inodeVersions = new MemoryTable<InodeVersion>('inode_versions', (v) => compositeKey(v.inodeId, v.snapshotId));
  readonly blockVersions = new MemoryTable<BlockVersion>('block_versions', (v) => compositeKey(v.inodeId, v.snapshotId, v.index), [(v) => String(v.blockId)]);
  readonly inodeVersionXAttrs = new MemoryTable<XAttrRow & { readonly snapshotId: number }>('inode_version_xattrs', (x) => compositeKey(x.inodeId, x.snapshotId, x.namespace, x.name));
  readonly snapshottableDirs = new MemoryTable<SnapshottableDirRow>('snapshottable_dirs', (d) => String(d.dirId));
  readonly snapshots = new MemoryTable<SnapshotRow>('snapshots', (s) => compositeKey(s.dirId, s.name), [(s) => String(s.snapshotId)]);

  /** The database's clock (namenode heartbeats are stamped by it, not by the namenode). */
  clock: () => number = Date.now;

  #journal: UndoLog[] | undefined;

  /** Runs `evaluate` with the writes of its queries journaled for `journal` (a transaction), or not (autocommit). */
  within<T>(journal: UndoLog[] | undefined, evaluate: () => T): T {
    this.#journal = journal;
    try {
      return evaluate();
    } finally {
      this.#journal = undefined;
    }
  }

  /** Called by a query that wrote: its undo joins the running transaction's, if any. */
  journal(log: UndoLog): void {
    this.#journal?.push(log);
  }
}
