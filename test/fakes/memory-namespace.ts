import type { NamespaceRepository } from '../../namenode/dal/namespace-repository';
import { localMutation, localQuery, updateWhere } from './local-statements';
import type { MemoryTables } from './memory-tables';

export const memoryNamespace = (t: MemoryTables): NamespaceRepository => ({
  findIdentity: () =>
    localQuery(() => {
      const row = t.namespaceInfo.get('1');
      return row && { namespaceId: row.namespaceId, clusterId: row.clusterId, blockPoolId: row.blockPoolId };
    }),
  findSafeMode: () => localQuery(() => t.namespaceInfo.get('1')?.safeModeEnteredAt ?? null),
  enterSafeMode: (now) =>
    localMutation((log) => updateWhere(t.namespaceInfo, (n) => n.id === 1, (n) => ({ ...n, safeModeEnteredAt: n.safeModeEnteredAt ?? now }), log)),
  leaveSafeMode: () => localMutation((log) => updateWhere(t.namespaceInfo, (n) => n.id === 1, (n) => ({ ...n, safeModeEnteredAt: null }), log)),
});
