import type { Repositories } from '../../namenode/dal/repositories';
import { InodeType } from '../../namenode/dal/inode-row';
import { INITIAL_COUNTERS } from '../../schema/counters';
import type { NewNamespace } from '../../schema/namespace-rows';
import { ROOT_INODE_ID, ROOT_PARENT_ID } from '../../schema/tables';
import { MemoryDb } from './memory-db';
import { memoryRepositories } from './memory-repositories';

/** A database and the repositories over its tables. */
export interface MemoryDatabase {
  readonly db: MemoryDb;
  readonly dal: Repositories;
}

export function memoryDatabase(): MemoryDatabase {
  const db = new MemoryDb();
  return { db, dal: memoryRepositories(db.tables) };
}

export const TEST_NAMESPACE: NewNamespace = {
  namespaceId: 4242,
  clusterId: 'CID-memory',
  blockPoolId: 'BP-4242-memory',
  superuser: 'root',
  supergroup: 'supergroup',
  now: 1_700_000_000_000,
};

/** What `nnfleet format` writes (schema/namespace-rows.ts insertNamespace): counters, the root inode, namespace_info. */
export function formatMemoryNamespace(db: MemoryDb, ns: Partial<NewNamespace> = {}): void {
  const n = { ...TEST_NAMESPACE, ...ns };
  const t = db.tables;
  for (const [name, value] of INITIAL_COUNTERS) t.counters.insert({ name, value });
  t.inodes.insert({
    id: ROOT_INODE_ID,
    parentId: ROOT_PARENT_ID,
    name: '',
    type: InodeType.Directory,
    permission: 0o755,
    owner: n.superuser,
    group: n.supergroup,
    mtime: n.now,
    atime: n.now,
    replication: 0,
    blockSize: 0,
    length: 0,
    storagePolicy: 0,
    symlink: null,
    ucClient: null,
    ucMachine: null,
    children: 0,
    acl: null,
  });
  t.namespaceInfo.insert({ id: 1, namespaceId: n.namespaceId, clusterId: n.clusterId, blockPoolId: n.blockPoolId, createdAt: n.now });
}
