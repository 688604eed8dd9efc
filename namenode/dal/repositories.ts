import type { BlockRepository } from './block-repository';
import type { CommandRepository } from './command-repository';
import type { CounterRepository } from './counter-repository';
import type { DatanodeRepository } from './datanode-repository';
import type { FsckRepository } from './fsck-repository';
import type { InodeRepository } from './inode-repository';
import type { LeaseRepository } from './lease-repository';
import type { NamenodeRepository } from './namenode-repository';
import type { NamespaceRepository } from './namespace-repository';
import type { PipelineRepository } from './pipeline-repository';
import type { QuotaRepository } from './quota-repository';
import type { ReplicaRepository } from './replica-repository';
import type { ReplicationQueueRepository } from './replication-queue-repository';
import type { RetryCacheRepository } from './retry-cache-repository';
import type { SecurityRepository } from './security-repository';
import type { SnapshotRepository } from './snapshot-repository';
import type { InodeVersionRepository } from './inode-version-repository';
import type { BlockVersionRepository } from './block-version-repository';
import type { SubtreeOpRepository } from './subtree-op-repository';
import type { StatsRepository } from './stats-repository';
import type { XAttrRepository } from './xattr-repository';

/**
 * The data access layer: one repository per table family. Repositories own
 * SQL, column names, result-set positions and enums; they build queries and
 * mutations, and a `DbSession` runs them (so the transaction layer still
 * decides how many travel in one round trip). `sqlRepositories` is the
 * MySQL/MariaDB/NDB implementation; tests bring in-memory ones.
 */
export interface Repositories {
  readonly inodes: InodeRepository;
  readonly blocks: BlockRepository;
  readonly replicas: ReplicaRepository;
  readonly pipelines: PipelineRepository;
  readonly datanodes: DatanodeRepository;
  readonly commands: CommandRepository;
  readonly replicationQueue: ReplicationQueueRepository;
  readonly leases: LeaseRepository;
  readonly xattrs: XAttrRepository;
  readonly quotas: QuotaRepository;
  readonly retryCache: RetryCacheRepository;
  readonly counters: CounterRepository;
  readonly namenodes: NamenodeRepository;
  readonly namespace: NamespaceRepository;
  readonly fsck: FsckRepository;
  readonly security: SecurityRepository;
  readonly subtreeOps: SubtreeOpRepository;
  readonly stats: StatsRepository;
  readonly snapshots: SnapshotRepository;
  readonly inodeVersions: InodeVersionRepository;
  readonly blockVersions: BlockVersionRepository;
}
