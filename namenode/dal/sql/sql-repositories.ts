import { sqlBlockVersions } from './block-version-sql';
import type { Repositories } from '../repositories';
import { sqlBlocks } from './block-sql';
import { sqlCommands } from './command-sql';
import { sqlCounters } from './counter-sql';
import { sqlDatanodes } from './datanode-sql';
import { sqlFsck } from './fsck-sql';
import { sqlInodes } from './inode-sql';
import { sqlLeases } from './lease-sql';
import { sqlNamenodes } from './namenode-sql';
import { sqlNamespace } from './namespace-sql';
import { sqlPipelines } from './pipeline-sql';
import { sqlQuotas } from './quota-sql';
import { sqlReplicas } from './replica-sql';
import { sqlReplicationQueue } from './replication-queue-sql';
import { sqlRetryCache } from './retry-cache-sql';
import { sqlSecurity } from './security-sql';
import { sqlSnapshots } from './snapshot-sql';
import { sqlInodeVersions } from './inode-version-sql';
import { sqlSubtreeOps } from './subtree-op-sql';
import { sqlStats } from './stats-sql';
import { sqlXAttrs } from './xattr-sql';

/** The MySQL-protocol implementation of every repository (InnoDB, Galera, NDB share the SQL). */
export const sqlRepositories: Repositories = {
  inodes: sqlInodes,
  blocks: sqlBlocks,
  replicas: sqlReplicas,
  pipelines: sqlPipelines,
  datanodes: sqlDatanodes,
  commands: sqlCommands,
  replicationQueue: sqlReplicationQueue,
  leases: sqlLeases,
  xattrs: sqlXAttrs,
  quotas: sqlQuotas,
  retryCache: sqlRetryCache,
  counters: sqlCounters,
  namenodes: sqlNamenodes,
  namespace: sqlNamespace,
  fsck: sqlFsck,
  security: sqlSecurity,
  subtreeOps: sqlSubtreeOps,
  stats: sqlStats,
  snapshots: sqlSnapshots,
  inodeVersions: sqlInodeVersions,
  blockVersions: sqlBlockVersions,
};
