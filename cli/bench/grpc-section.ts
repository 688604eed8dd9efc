import { credentials, makeGenericClientConstructor, Metadata, type Client, type ServiceError } from '@grpc/grpc-js';
import type mysql from 'mysql2/promise';
import { ClientPool } from '../../loadgen/client-pool';
import type { PhaseResult } from '../../loadgen/loadgen-result';
import type { NamespaceLayout } from '../../loadgen/namespace-layout';
import { NoStatusError, runPhase, type ModeContext } from '../../loadgen/run-phase';
import type { nnfleet } from '../../protocol/generated/nnfleet-namespace';
import { namespaceDefinition } from '../../protocol/grpc/namespace-definition';
import type { SectionOutput } from './bench-extra-sections';
import { nnbenchPhase } from './bench-workload';
import type { LocalFleet } from './local-fleet';
import { failureReason, freshDirsLike, measuredRow, settingRowsOutput, spawnBenchNamenode, type SettingRow } from './measured-phase';

export interface GrpcSection extends SectionOutput {
  readonly rows: readonly SettingRow[];
}

/** The call metadata naming the caller (namenode/grpc/call-identity.ts). */
const USER_METADATA = 'x-hadoop-user';

const NOTES = [
  'Stat over gRPC (nnfleet.namespace.v1.Namespace/Stat, one HTTP/2 connection per client thread) and getFileInfo over Hadoop IPC (one connection per thread), the same files, threads and seconds, on the bench namenode.',
  'create with the change log on (the default) and off (-D changeLog=false): a fresh namenode each, into fresh directories.',
];

type StatClient = Client & {
  stat(req: nnfleet.namespace.v1.IStatRequest, md: Metadata, cb: (err: ServiceError | null, res?: nnfleet.namespace.v1.StatResponse) => void): void;
};

/**
 * The gRPC namespace API next to Hadoop IPC (issue 16), and what the change
 * log costs a create. A failure is reported, not fatal.
 */
export async function runGrpcSection(dir: string, fleet: LocalFleet, dbPool: mysql.Pool, ctx: ModeContext, layout: NamespaceLayout, w: { threads: number; seconds: number }): Promise<GrpcSection> {
  const rows: SettingRow[] = [];
  const shape = { ...w, spotifySeconds: 0, dirs: layout.dirs, filesPerDir: layout.filesPerDir };
  try {
    rows.push(await measuredRow(dbPool, 'stat', 'Hadoop IPC getFileInfo', () => nnbenchPhase(ctx, layout, 'fileStatus', shape)));
    rows.push(await measuredRow(dbPool, 'stat', 'gRPC Namespace/Stat', () => grpcStatPhase(ctx, `127.0.0.1:${fleet.namenode.grpcPort}`, fleet.superuser, layout, w)));
    for (const on of [true, false]) {
      const nn = await spawnBenchNamenode(dir, fleet.mysqlUrl, `bench-changelog-${on ? 'on' : 'off'}`, { changeLog: String(on) });
      try {
        const pool = await ClientPool.open({ namenodes: [`127.0.0.1:${nn.rpcPort}`], user: fleet.superuser, connections: w.threads });
        try {
          const c = { ...ctx, pool };
          const into = await freshDirsLike(c, `/bench-changelog-${on ? 'on' : 'off'}`, layout);
          rows.push(await measuredRow(dbPool, 'create', `change log ${on ? 'on' : 'off'}`, () => nnbenchPhase(c, into, 'create', shape)));
        } finally {
          await pool.close();
        }
      } finally {
        await nn.stop();
      }
    }
  } catch (err) {
    return { rows, summaries: [], text: [], failure: `grpc section failed: ${failureReason(err)}` };
  }
  return { rows, ...settingRowsOutput('gRPC next to Hadoop IPC (issue 16), and the change log\'s cost to create', rows, NOTES) };
}

/** Closed-loop Stat calls over the layout's files for `seconds`, through the load generator's phase runner. */
async function grpcStatPhase(ctx: ModeContext, address: string, user: string, layout: NamespaceLayout, w: { threads: number; seconds: number }): Promise<PhaseResult> {
  const Ctor = makeGenericClientConstructor(namespaceDefinition, 'Namespace');
  // A local subchannel pool per client: one connection each, as the IPC side has.
  const clients = Array.from({ length: w.threads }, () => new Ctor(address, credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 }) as unknown as StatClient);
  const md = new Metadata();
  md.set(USER_METADATA, user);
  const files = layout.allFiles();
  let seq = 0;
  const stat = (client: StatClient, path: string): Promise<void> =>
    new Promise((resolve, reject) =>
      client.stat({ path }, md, (err, res) => {
        if (err) reject(err);
        else if (!res?.status) reject(new NoStatusError(path));
        else resolve();
      }),
    );
  try {
    return await runPhase(ctx, 'grpc stat', {
      threads: w.threads,
      durationMs: w.seconds * 1000,
      next: (worker) => {
        const path = files[seq++ % files.length] as string;
        return { op: 'stat', run: () => stat(clients[worker % clients.length] as StatClient, path) };
      },
    });
  } finally {
    for (const c of clients) c.close();
  }
}
