import type { Candidate, DatanodeRepository } from '../../namenode/dal/datanode-repository';
import { DatanodeState } from '../../namenode/domain/datanode-info';
import { ReplicaState } from '../../namenode/dal/replica-repository';
import type { Location } from '../../namenode/domain/located-blocks';
import { datanodeInfo } from './datanode-join';
import { deleteWhere, inList, localMutation, localQuery, updateWhere, upsertRow } from './local-statements';
import type { DatanodeRow } from './memory-rows';
import type { MemoryTables } from './memory-tables';

/** In service: live and Normal (not decommissioning), so it may take new replicas. */
const inService = (d: DatanodeRow, heartbeatAfter: number): boolean => d.state === DatanodeState.Normal && d.lastHeartbeat > heartbeatAfter;

export function memoryDatanodes(t: MemoryTables): DatanodeRepository {
  const { datanodes, storages } = t;
  /** `datanodes d JOIN storages s ON s.datanode_uuid = d.uuid`, storages first as the join has no order. */
  const withStorages = (where: (d: DatanodeRow) => boolean) =>
    storages.rows().flatMap((s) => {
      const d = datanodes.get(s.datanodeUuid);
      return d && where(d) ? [{ d, s }] : [];
    });
  const queueReplicasOf = (uuid: string, now: number) =>
    localMutation((log) =>
      t.replicas
        .rows()
        .filter((r) => r.datanodeUuid === uuid)
        .reduce((n, r) => n + upsertRow(t.underReplicated, { blockId: r.blockId, inodeId: r.inodeId, queuedAt: now, scheduledAt: 0 }, (old) => ({ ...old, scheduledAt: 0 }), log), 0),
    );
  return {
    queueReplicasOf,
    lockByPk: (uuid) =>
      localQuery(() => {
        const d = datanodes.get(uuid);
        return d && datanodeInfo(d);
      }),
    setStateByPk: (uuid, from, to) => localMutation((log) => updateWhere(datanodes, (d) => d.uuid === uuid && from.includes(d.state), (d) => ({ ...d, state: to }), log)),
    countBlocksShortElsewhere: (uuid, heartbeatAfter, atMost) =>
      localQuery(
        () =>
          t.replicas.rows().filter((r) => {
            if (r.datanodeUuid !== uuid) return false;
            const block = t.blocks.rows().find((b) => b.blockId === r.blockId);
            const file = block && t.inodes.rows().find((i) => i.id === block.inodeId);
            if (!block || !file) return false;
            const elsewhere = new Set(
              t.replicas
                .rows()
                .filter((o) => {
                  const d = datanodes.get(o.datanodeUuid);
                  return o.blockId === r.blockId && o.datanodeUuid !== uuid && o.state === ReplicaState.Finalized && o.genStamp === block.genStamp && o.numBytes === block.numBytes && d !== undefined && inService(d, heartbeatAfter);
                })
                .map((o) => o.datanodeUuid),
            );
            return elsewhere.size < Math.min(Math.max(file.replication, 1), atMost);
          }).length,
      ),
    upsert: (d, now) =>
      localMutation((log) =>
        upsertRow(
          datanodes,
          { ...datanodeInfo(d), lastHeartbeat: now, registeredAt: now, state: DatanodeState.Normal },
          // A known uuid keeps its last reported capacity and usage; its addresses and state are refreshed (an operator's decommissioning stays).
          (old) => ({
            ...old,
            ipAddr: d.ipAddr,
            hostName: d.hostName,
            xferPort: d.xferPort,
            infoPort: d.infoPort,
            ipcPort: d.ipcPort,
            lastHeartbeat: now,
            registeredAt: now,
            state: old.state === DatanodeState.Decommissioning || old.state === DatanodeState.Decommissioned ? old.state : DatanodeState.Normal,
          }),
          log,
        ),
      ),
    updateHeartbeatsBatched: (beats, now) =>
      localMutation((log) => {
        const byUuid = new Map(beats.map((b) => [b.uuid, b.stats]));
        return updateWhere(
          datanodes,
          (d) => byUuid.has(d.uuid) && d.state !== DatanodeState.Dead,
          (d) => {
            const s = byUuid.get(d.uuid) as (typeof beats)[number]['stats'];
            return { ...d, capacity: s.capacity, dfsUsed: s.dfsUsed, remaining: s.remaining, blockPoolUsed: s.blockPoolUsed, nonDfsUsed: s.nonDfsUsed, xceiverCount: s.xceiverCount, lastHeartbeat: now };
          },
          log,
        );
      }),
    upsertStoragesBatched: (rows, now) =>
      localMutation((log) => {
        let n = 0;
        for (const s of rows) {
          const row = { storageId: s.storageId, datanodeUuid: s.datanodeUuid, storageType: s.storageType, capacity: s.capacity, dfsUsed: s.dfsUsed, remaining: s.remaining, lastReport: now };
          n += upsertRow(storages, row, () => row, log);
        }
        return n;
      }),
    findLiveStorages: (heartbeatAfter) =>
      localQuery(() =>
        withStorages((d) => inService(d, heartbeatAfter)).map(
          ({ d, s }): Candidate => ({ datanode: datanodeInfo(d), storageId: s.storageId, storageType: s.storageType, storageRemaining: s.remaining }),
        ),
      ),
    findAll: () =>
      localQuery(() =>
        datanodes
          .rows()
          .sort((a, b) => (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0))
          .map(datanodeInfo),
      ),
    findByPk: (uuid) =>
      localQuery(() => {
        const d = datanodes.get(uuid);
        return d && datanodeInfo(d);
      }),
    findByPkBatched: (uuids) =>
      localQuery(() => {
        const wanted = inList(uuids, 'datanodes.findByPkBatched');
        return datanodes.rows().filter((d) => wanted.has(d.uuid)).map(datanodeInfo);
      }),
    findStoragesByUuidBatched: (uuids) =>
      localQuery(() => {
        const wanted = inList(uuids, 'datanodes.findStoragesByUuidBatched');
        return withStorages((d) => wanted.has(d.uuid)).map(({ d, s }): Location => ({ datanode: datanodeInfo(d), storageId: s.storageId, storageType: s.storageType }));
      }),
    findExpired: (heartbeatBefore) =>
      localQuery(() => datanodes.rows().filter((d) => d.state !== DatanodeState.Dead && d.lastHeartbeat < heartbeatBefore).map(datanodeInfo)),
    lockExpiredByPk: (uuid, heartbeatBefore) =>
      localQuery(() => datanodes.rows().some((d) => d.uuid === uuid && d.state !== DatanodeState.Dead && d.lastHeartbeat < heartbeatBefore)),
    markDead: (uuid, heartbeatBefore) =>
      localMutation((log) =>
        updateWhere(datanodes, (d) => d.uuid === uuid && d.lastHeartbeat < heartbeatBefore, (d) => ({ ...d, state: DatanodeState.Dead }), log),
      ),
    forgetDead: (uuid, now) => [
      queueReplicasOf(uuid, now),
      localMutation((log) => deleteWhere(t.replicas, (r) => r.datanodeUuid === uuid, log)),
      localMutation((log) => deleteWhere(t.commands, (c) => c.datanodeUuid === uuid, log)),
    ],
    sumLiveCapacity: (heartbeatAfter) =>
      localQuery(() => {
        const live = datanodes.rows().filter((d) => inService(d, heartbeatAfter));
        const sum = (f: (d: DatanodeRow) => number) => live.reduce((n, d) => n + f(d), 0);
        return { datanodes: live.length, capacity: sum((d) => d.capacity), used: sum((d) => d.dfsUsed), remaining: sum((d) => d.remaining) };
      }),
  };
}
