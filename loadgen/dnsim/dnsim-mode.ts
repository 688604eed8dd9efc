import { int64ToNumber } from '../../protocol/long-values';
import { addBlockWithBackoff, completeWithBackoff } from '../../protocol/client/locate-following-block';
import type { ExtendedBlock } from '../../protocol/client/namenode-client';
import type { PhaseResult } from '../loadgen-result';
import { runPhase, workQueue, type ModeContext, type PhaseLoop } from '../run-phase';
import type { SimBlock } from './block-list-buffer';
import { SimDatanode } from './sim-datanode';

/** NNThroughputBenchmark's blockReport options, by its names where it has them. */
export interface DnsimOptions {
  /** Every simulated datanode heartbeats to each; it reports to one (i mod n), as a datanode to its reporter. */
  readonly namenodes: readonly string[];
  /** The fleet's membership secret (the datanode key file). */
  readonly membershipSecret: Buffer;
  readonly datanodes: number;
  /** Heartbeat rounds: each datanode heartbeats each namenode this many times. */
  readonly heartbeats: number;
  readonly threads: number;
  /** Files written through ClientProtocol (create, addBlock × blocksPerFile, complete) whose targets send incremental reports. */
  readonly files: number;
  readonly blocksPerFile: number;
  readonly replication: number;
  readonly dir: string;
  /**
   * Blocks already in the namespace (a bulk loader's), handed out to the
   * first `reporters` datanodes, `replication` copies each, for full reports
   * bigger than the write phase makes in reasonable time.
   */
  readonly seeded?: { readonly blocks: readonly SimBlock[]; readonly reporters: number; readonly replication: number };
  /** The second full report leaves out every n-th block of each datanode (0: none). */
  readonly removeEvery: number;
  /** The database statements executed so far (server or namenode counter), to print statements per operation. */
  readonly statements?: () => Promise<number>;
  /** Prefix of the simulated datanodes' uuids (a run's own, so runs do not collide). */
  readonly uuidPrefix: string;
}

/** What the run leaves behind, for checks: each datanode's storage and the blocks its last report listed. */
export interface DnsimOutcome {
  readonly phases: PhaseResult[];
  readonly datanodes: readonly { readonly uuid: string; readonly storageUuid: string; readonly reported: readonly SimBlock[] }[];
}

interface Member {
  readonly uuid: string;
  /** One connection per namenode; the reporter is links[i mod n]. */
  readonly links: SimDatanode[];
  reporter: SimDatanode | undefined;
  readonly blocks: SimBlock[];
}

const BLOCK_BYTES = 1024;

/**
 * `loadgen dnsim`, as NNThroughputBenchmark's blockReport emulates
 * datanodes: registers many simulated datanodes over DatanodeProtocol,
 * heartbeats, writes files whose block targets send incremental reports,
 * then full block reports — first everything each holds, then the same
 * again (unchanged), then with every removeEvery-th block gone.
 */
export async function runDnsim(ctx: ModeContext, o: DnsimOptions): Promise<DnsimOutcome> {
  const members: Member[] = Array.from({ length: o.datanodes }, (_, i) => ({ uuid: `${o.uuidPrefix}-${String(i).padStart(5, '0')}`, links: [], reporter: undefined, blocks: [] }));
  const byUuid = new Map(members.map((m) => [m.uuid, m]));
  const phases: PhaseResult[] = [];
  const measured = async (name: string, loop: PhaseLoop, per?: { unit: string; count: number }, extra: () => string[] = () => []): Promise<void> => {
    const before = await o.statements?.();
    const phase = await runPhase(ctx, name, loop);
    const after = await o.statements?.();
    const notes: string[] = [];
    if (before !== undefined && after !== undefined) {
      const stmts = after - before;
      notes.push(`DB statements: ${stmts} (${fmt(stmts / Math.max(1, phase.totalOps))} per op)`);
      if (per) notes.push(`DB statements per ${per.unit}: ${fmt(stmts / Math.max(1, per.count))} (over ${per.count})`);
    }
    phases.push({ ...phase, notes: [...extra(), ...notes] });
  };
  try {
    await measured(`dnsim register ${o.datanodes} datanodes`, {
      threads: o.threads,
      expectedOps: members.length,
      next: workQueue(members, (m, w) => ({
        op: 'register',
        run: async () => {
          const xferPort = 20_000 + members.indexOf(m);
          for (const address of o.namenodes) {
            const link = await SimDatanode.connect(address, o.membershipSecret, m.uuid, xferPort);
            m.links.push(link);
            await link.register();
          }
          m.reporter = m.links[(w + members.indexOf(m)) % m.links.length];
        },
      })),
    });

    const beats = members.flatMap((m) => m.links).flatMap((l) => Array.from({ length: o.heartbeats }, () => l));
    await measured(`dnsim heartbeat ${o.heartbeats} rounds × ${o.namenodes.length} namenodes`, {
      threads: o.threads,
      expectedOps: beats.length,
      next: workQueue(beats, (link) => ({ op: 'sendHeartbeat', run: async () => void (await link.heartbeat(0)) })),
    }, { unit: 'heartbeat', count: beats.length });

    if (o.files > 0) {
      let written = 0;
      const files = Array.from({ length: o.files }, (_, i) => `${o.dir}/f${String(i).padStart(6, '0')}`);
      await ctx.pool.forWorker(0).mkdirs(o.dir);
      await measured(`dnsim write ${o.files} files × ${o.blocksPerFile} blocks (incremental reports)`, {
        threads: o.threads,
        expectedOps: files.length,
        next: workQueue(files, (path, w) => ({
          op: 'writeFile',
          run: async () => {
            const client = ctx.pool.forWorker(w);
            await client.create(path, { overwrite: true, replication: o.replication });
            let previous: ExtendedBlock | undefined;
            for (let b = 0; b < o.blocksPerFile; b++) {
              const located = await addBlockWithBackoff(client, path, previous, []);
              const block: SimBlock = { blockId: int64ToNumber(located.b.blockId), genStamp: int64ToNumber(located.b.generationStamp), numBytes: BLOCK_BYTES };
              await Promise.all(
                (located.locs ?? []).map(async (loc) => {
                  const m = byUuid.get(loc.id.datanodeUuid);
                  if (!m?.reporter) return;
                  await m.reporter.incremental([block], 'received');
                  m.blocks.push(block);
                }),
              );
              written++;
              previous = { ...located.b, numBytes: BLOCK_BYTES };
            }
            await completeWithBackoff(client, path, previous);
          },
        })),
      }, { unit: 'block written', count: o.files * o.blocksPerFile }, () => [`blocks written: ${written}, each reported RECEIVED by its simulated targets`]);
    }

    if (o.seeded) {
      const { blocks, reporters, replication } = o.seeded;
      const holders = Math.min(reporters, members.length);
      blocks.forEach((b, k) => {
        for (let j = 0; j < Math.min(replication, holders); j++) (members[(k + j) % holders] as Member).blocks.push(b);
      });
    }

    const reporting = members.filter((m) => m.blocks.length > 0);
    const reportPhase = async (label: string, listOf: (m: Member) => SimBlock[]): Promise<void> => {
      if (reporting.length === 0) return;
      const lists = new Map(reporting.map((m) => [m, listOf(m)]));
      const total = [...lists.values()].reduce((n, l) => n + l.length, 0);
      await measured(`dnsim ${label}: ${reporting.length} datanodes, ${total} blocks`, {
        threads: o.threads,
        expectedOps: reporting.length,
        next: workQueue(reporting, (m) => ({ op: 'blockReport', run: () => (m.reporter as SimDatanode).fullReport(lists.get(m) as SimBlock[]) })),
      }, { unit: 'reported block', count: total });
    };
    await reportPhase('full block report', (m) => m.blocks);
    await reportPhase('full block report again (unchanged)', (m) => m.blocks);
    if (o.removeEvery > 0) {
      for (const m of reporting) {
        const kept = m.blocks.filter((_, i) => i % o.removeEvery !== 0);
        m.blocks.length = 0;
        m.blocks.push(...kept);
      }
      await reportPhase(`full block report, every ${o.removeEvery}th block removed`, (m) => m.blocks);
    }
    return { phases, datanodes: members.map((m) => ({ uuid: m.uuid, storageUuid: `DS-${m.uuid}`, reported: m.blocks })) };
  } finally {
    await Promise.all(members.flatMap((m) => m.links).map((l) => l.close().catch(() => undefined)));
  }
}

const fmt = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 1 ? n.toFixed(2) : n.toFixed(4));
