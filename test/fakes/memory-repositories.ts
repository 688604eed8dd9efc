import type { Repositories } from '../../namenode/dal/repositories';
import { memoryBlocks } from './memory-blocks';
import { memoryCommands } from './memory-commands';
import { memoryCounters } from './memory-counters';
import { memoryDatanodes } from './memory-datanodes';
import { memoryFsck } from './memory-fsck';
import { memoryInodes } from './memory-inodes';
import { memoryLeases } from './memory-leases';
import { memoryNamenodes } from './memory-namenodes';
import { memoryNamespace } from './memory-namespace';
import { memoryPipelines } from './memory-pipelines';
import { memoryReplicas } from './memory-replicas';
import { memoryReplicationQueue } from './memory-replication-queue';
import { memoryRetryCache } from './memory-retry-cache';
import { memorySecurity } from './memory-security';
import { memorySubtreeOps } from './memory-subtree-ops';
import { memoryStats } from './memory-stats';
import { memoryXAttrs } from './memory-xattrs';
import { memoryQuotas } from './memory-quotas';
import { memorySnapshots } from './memory-snapshots';
import { memoryInodeVersions } from './memory-inode-versions';
import { memoryBlockVersions } from './memory-block-versions';
import type { MemoryTables } from './memory-tables';

/** Every repository over in-memory tables: the same semantics as `sqlRepositories`, as `local` queries and mutations. */
export const memoryRepositories = (t: MemoryTables): Repositories => ({
  inodes: memoryInodes(t),
  blocks: memoryBlocks(t),
  replicas: memoryReplicas(t),
  pipelines: memoryPipelines(t),
  datanodes: memoryDatanodes(t),
  commands: memoryCommands(t),
  replicationQueue: memoryReplicationQueue(t),
  leases: memoryLeases(t),
  xattrs: memoryXAttrs(t),
  quotas: memoryQuotas(t),
  retryCache: memoryRetryCache(t),
  counters: memoryCounters(t),
  namenodes: memoryNamenodes(t),
  namespace: memoryNamespace(t),
  fsck: memoryFsck(t),
  security: memorySecurity(t),
  subtreeOps: memorySubtreeOps(t),
  stats: memoryStats(t),
  snapshots: memorySnapshots(t),
  inodeVersions: memoryInodeVersions(t),
  blockVersions: memoryBlockVersions(t),
});
