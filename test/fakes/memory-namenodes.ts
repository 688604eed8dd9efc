import type { LiveNamenode, NamenodeRepository } from '../../namenode/dal/namenode-repository';
import { bumpCounter } from './memory-counters';
import { deleteWhere, insertRow, localMutation, localQuery, upsertRow, writingQuery } from './local-statements';
import type { MemoryTables } from './memory-tables';

const COUNTER = 'namenode_id';

export function memoryNamenodes(t: MemoryTables): NamenodeRepository {
  const table = t.namenodes;
  const live = (aliveMs: number): LiveNamenode[] => {
    const since = t.clock() - aliveMs;
    return table
      .rows()
      .filter((n) => n.lastHeartbeat > since)
      .sort((a, b) => a.id - b.id)
      .map((n) => ({ id: n.id, rpcAddress: n.rpcAddress, httpAddress: n.httpAddress }));
  };
  return {
    reserveId: () =>
      writingQuery(t, (log) => {
        if (!t.counters.get(COUNTER)) insertRow(t.counters, { name: COUNTER, value: 0 }, log);
        return bumpCounter(t, COUNTER, (v) => v + 1, log);
      }),
    heartbeat: (id, rpcAddress, httpAddress, deadMs, aliveMs) =>
      writingQuery(t, (log) => {
        const now = t.clock();
        // A known id keeps the addresses it registered with: only its heartbeat moves.
        upsertRow(
          table,
          { id, rpcAddress, httpAddress, startedAt: now, heartbeatCounter: 1, lastHeartbeat: now },
          (old) => ({ ...old, heartbeatCounter: old.heartbeatCounter + 1, lastHeartbeat: now }),
          log,
        );
        deleteWhere(table, (n) => n.lastHeartbeat < now - deadMs, log);
        return live(aliveMs);
      }),
    findLive: (aliveMs) => localQuery(() => live(aliveMs)),
    findLiveMembers: (aliveMs) =>
      localQuery(() => {
        const now = t.clock();
        return table
          .rows()
          .filter((n) => n.lastHeartbeat > now - aliveMs)
          .sort((a, b) => a.id - b.id)
          .map((n) => ({ id: n.id, rpcAddress: n.rpcAddress, httpAddress: n.httpAddress, uptimeMs: now - n.startedAt, heartbeatAgeMs: now - n.lastHeartbeat }));
      }),
    deleteByPk: (id) => localMutation((log) => deleteWhere(table, (n) => n.id === id, log)),
  };
}
