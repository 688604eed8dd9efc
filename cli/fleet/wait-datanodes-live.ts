import { userInfo } from 'node:os';
import { hadoop } from '../../protocol/generated/hadoop';
import { IpcClient } from '../../protocol/ipc/client';
import { CLIENT_PROTOCOL } from '../../protocol/ipc/wire-constants';

const H = hadoop.hdfs;
const POLL_MS = 200;

/**
 * Waits until the namenode at host:port reports every one of `uuids` live,
 * asking as a client would (getDatanodeReport LIVE): a datanode that printed
 * its listening line may not have registered yet, and a put before it has
 * would be refused for lack of datanodes. Any namenode will do — liveness
 * is rows in the shared database.
 */
export async function waitDatanodesLive(host: string, port: number, uuids: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const client = await IpcClient.connect({ host, port, user: userInfo().username, protocolName: CLIENT_PROTOCOL });
  try {
    let missing = [...uuids];
    for (;;) {
      const report = await client.call(
        'getDatanodeReport',
        H.GetDatanodeReportRequestProto,
        { type: H.DatanodeReportTypeProto.LIVE },
        H.GetDatanodeReportResponseProto,
      );
      const live = new Set(report.di.map((d) => d.id?.datanodeUuid));
      missing = uuids.filter((u) => !live.has(u));
      if (missing.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`${missing.length} of ${uuids.length} datanodes not live after ${timeoutMs} ms: ${missing.join(', ')}`);
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } finally {
    await client.close();
  }
}
