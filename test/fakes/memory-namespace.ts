import type { NamespaceRepository } from '../../namenode/dal/namespace-repository';
import { localQuery } from './local-statements';
import type { MemoryTables } from './memory-tables';

export const memoryNamespace = (t: MemoryTables): NamespaceRepository => ({
  findIdentity: () =>
    localQuery(() => {
      const row = t.namespaceInfo.get('1');
      return row && { namespaceId: row.namespaceId, clusterId: row.clusterId, blockPoolId: row.blockPoolId };
    }),
});
