import type { LeasePath, LeaseRepository } from '../../namenode/dal/lease-repository';
import { deleteWhere, inList, localMutation, localQuery, updateWhere, upsertRow } from './local-statements';
import type { MemoryTables } from './memory-tables';

export function memoryLeases(t: MemoryTables): LeaseRepository {
  const { leases, leasePaths } = t;
  return {
    upsert: (holder, now) => localMutation((log) => upsertRow(leases, { holder, lastRenewed: now }, (old) => ({ ...old, lastRenewed: now }), log)),
    renew: (holder, now) => localMutation((log) => updateWhere(leases, (l) => l.holder === holder, (l) => ({ ...l, lastRenewed: now }), log)),
    renewUnlessSafeMode: (holder, now) =>
      localMutation((log) =>
        t.namespaceInfo.get('1')?.safeModeEnteredAt ? 0 : updateWhere(leases, (l) => l.holder === holder, (l) => ({ ...l, lastRenewed: now }), log),
      ),
    insertPath: (inodeId, holder) => localMutation((log) => upsertRow(leasePaths, { inodeId, holder }, (old) => ({ ...old, holder }), log)),
    deletePathsByInodesBatched: (ids) =>
      localMutation((log) => {
        const doomed = inList(ids, 'leases.deletePathsByInodesBatched');
        return deleteWhere(leasePaths, (p) => doomed.has(p.inodeId), log);
      }),
    findEmpty: (renewedBefore, limit) =>
      localQuery(() =>
        leases
          .rows()
          .filter((l) => l.lastRenewed < renewedBefore && !leasePaths.rows().some((p) => p.holder === l.holder))
          .slice(0, limit)
          .map((l) => l.holder),
      ),
    deleteEmpty: (holders, renewedBefore) =>
      localMutation((log) => {
        const named = new Set(holders);
        return deleteWhere(leases, (l) => named.has(l.holder) && l.lastRenewed < renewedBefore && !leasePaths.rows().some((p) => p.holder === l.holder), log);
      }),
    findPathsAfter: (afterInodeId, limit) =>
      localQuery(() =>
        leasePaths
          .rows()
          .filter((p) => p.inodeId > afterInodeId)
          .sort((a, b) => a.inodeId - b.inodeId)
          .slice(0, limit)
          .map((p): LeasePath => ({ inodeId: p.inodeId, holder: p.holder })),
      ),
    countPaths: (holder) => localQuery(() => leasePaths.rows().filter((p) => p.holder === holder).length),
    findExpiredPaths: (renewedBefore, limit) =>
      localQuery(() =>
        leases
          .rows()
          .filter((l) => l.lastRenewed < renewedBefore)
          .flatMap((l) => leasePaths.rows().filter((p) => p.holder === l.holder))
          .slice(0, limit)
          .map((p): LeasePath => ({ inodeId: p.inodeId, holder: p.holder })),
      ),
  };
}
