import type { NamesystemFixture } from './namesystem-fixture';

const STATS = { capacity: 1e12, dfsUsed: 0, remaining: 1e12, blockPoolUsed: 0, nonDfsUsed: 0, xceiverCount: 0 };

/** The storage each datanode of registerLiveDatanodes has. */
export const storageOf = (uuid: string): string => `DS-${uuid}`;

/** Registers datanodes (addresses `subnet`.1, .2, …) and heartbeats each once with one empty storage: live, placeable. */
export async function registerLiveDatanodes(f: NamesystemFixture, uuids: readonly string[], subnet: string): Promise<void> {
  for (const [i, uuid] of uuids.entries()) {
    await f.ns.datanodes.register({ uuid, ipAddr: `${subnet}.${i + 1}`, hostName: `dn${i}`, xferPort: 9866, infoPort: 9864, ipcPort: 9867 });
    await f.ns.datanodes.heartbeat(uuid, STATS, [{ storageId: storageOf(uuid), storageType: 1, capacity: 1e12, dfsUsed: 0, remaining: 1e12 }]);
  }
}
