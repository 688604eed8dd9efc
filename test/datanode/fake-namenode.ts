import Long from 'long';
import { hadoop } from '../../protocol/generated/hadoop';
import { protoHandler } from '../../protocol/ipc/rpc-handler';
import { IpcServer } from '../../protocol/ipc/server';
import { DATANODE_PROTOCOL } from '../../protocol/ipc/wire-constants';

const D = hadoop.hdfs.datanode;
export const FAKE_POOL = 'BP-fake-1';

export interface ReportedReplica {
  blockId: number;
  numBytes: number;
  genStamp: number;
  state: number;
}

/**
 * Hadoop's BlockListAsLongs.LongsDecoder, written from its description, to
 * check what the datanode sends: [F, U, F×(id,len,gs), -1,-1,-1, U×(id,len,gs,state)].
 */
export function decodeLegacyLongs(longs: readonly (number | Long)[]): ReportedReplica[] {
  const v = longs.map((x) => Long.fromValue(x).toSigned().toNumber());
  const finalized = v[0]!;
  const building = v[1]!;
  const out: ReportedReplica[] = [];
  let i = 2;
  for (let k = 0; k < finalized; k++, i += 3) out.push({ blockId: v[i]!, numBytes: v[i + 1]!, genStamp: v[i + 2]!, state: 0 });
  if (v[i] !== -1 || v[i + 1] !== -1 || v[i + 2] !== -1) throw new Error('missing delimiter');
  i += 3;
  for (let k = 0; k < building; k++, i += 4) out.push({ blockId: v[i]!, numBytes: v[i + 1]!, genStamp: v[i + 2]!, state: v[i + 3]! });
  if (i !== v.length) throw new Error('trailing longs');
  return out;
}

/** A DatanodeProtocol server that records every call and hands out queued commands. */
export class FakeNamenode {
  readonly registrations: hadoop.hdfs.datanode.IDatanodeRegistrationProto[] = [];
  readonly heartbeats: hadoop.hdfs.datanode.IHeartbeatRequestProto[] = [];
  readonly blockReports: ReportedReplica[][] = [];
  readonly incremental: { blockId: number; numBytes: number; genStamp: number; status: number }[] = [];
  readonly commands: hadoop.hdfs.datanode.IDatanodeCommandProto[] = [];
  /** blockReceivedAndDeleted calls taken, one entry (its changes) per call. */
  readonly incrementalCalls: { blockId: number; status: number }[][] = [];
  /** While set, blockReceivedAndDeleted answers only once it resolves (a report kept in flight). */
  holdIncremental: Promise<void> | undefined;
  readonly #server = new IpcServer();

  constructor() {
    this.#server.register(DATANODE_PROTOCOL, 'versionRequest', protoHandler(hadoop.hdfs.VersionRequestProto, hadoop.hdfs.VersionResponseProto, async () => ({
      info: {
        buildVersion: 'fake',
        unused: 0,
        blockPoolID: FAKE_POOL,
        storageInfo: { layoutVersion: 2 ** 32 - 66, namespceID: 42, clusterID: 'CID-fake', cTime: 0 },
        softwareVersion: '3.3.6',
      },
    })));
    this.#server.register(DATANODE_PROTOCOL, 'registerDatanode', protoHandler(D.RegisterDatanodeRequestProto, D.RegisterDatanodeResponseProto, async (_c, req) => {
      this.registrations.push(req.registration);
      return { registration: req.registration };
    }));
    this.#server.register(DATANODE_PROTOCOL, 'sendHeartbeat', protoHandler(D.HeartbeatRequestProto, D.HeartbeatResponseProto, async (_c, req) => {
      this.heartbeats.push(req);
      const cmds = this.commands.splice(0);
      return { cmds, haStatus: { state: hadoop.hdfs.NNHAStatusHeartbeatProto.State.ACTIVE, txid: 0 } };
    }));
    this.#server.register(DATANODE_PROTOCOL, 'blockReport', protoHandler(D.BlockReportRequestProto, D.BlockReportResponseProto, async (_c, req) => {
      if (req.blockPoolId !== FAKE_POOL) throw new Error('wrong pool');
      for (const report of req.reports) this.blockReports.push(decodeLegacyLongs(report.blocks ?? []));
      return {};
    }));
    this.#server.register(DATANODE_PROTOCOL, 'blockReceivedAndDeleted', protoHandler(D.BlockReceivedAndDeletedRequestProto, D.BlockReceivedAndDeletedResponseProto, async (_c, req) => {
      this.incrementalCalls.push(req.blocks.flatMap((s) => (s.blocks ?? []).map((b) => ({ blockId: Number(b.block.blockId), status: b.status }))));
      await this.holdIncremental;
      for (const storage of req.blocks) {
        for (const b of storage.blocks ?? []) {
          this.incremental.push({ blockId: Number(b.block.blockId), numBytes: Number(b.block.numBytes), genStamp: Number(b.block.genStamp), status: b.status });
        }
      }
      return {};
    }));
  }

  async listen(port: number): Promise<void> {
    await this.#server.listen(port, '127.0.0.1');
  }

  close(): Promise<void> {
    return this.#server.close();
  }
}
