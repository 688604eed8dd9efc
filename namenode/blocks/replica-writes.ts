import { CommandKind, type ReceivedCopy } from '../dal/command-repository';
import type { Mutation } from '../dal/query';
import type { ReplicaRow } from '../dal/replica-repository';
import type { Repositories } from '../dal/repositories';

type Step =
  | { readonly kind: 'upsert'; readonly row: ReplicaRow }
  | { readonly kind: 'delete'; readonly uuid: string; readonly storageId: string; readonly blockId: number; readonly inodeId: number | undefined }
  | { readonly kind: 'other'; readonly mutation: Mutation };

/**
 * A report's replica writes in the order they were reported, with each run
 * of consecutive upserts (or of deletions on one storage, with the
 * invalidations they complete) folded into one multi-row statement, and
 * the commands they confirm and the queue rows
 * they recheck in one statement each at the end: a chunk of a report costs
 * a handful of statements, not a few per replica. Reports of several
 * datanodes (a ReportBatcher's batch) share one: `from` names the datanode
 * of the steps that follow.
 */
export class ReplicaWrites {
  readonly #dal: Pick<Repositories, 'replicas' | 'commands' | 'replicationQueue'>;
  #uuid: string;
  readonly #steps: Step[] = [];
  readonly #confirmed: ReceivedCopy[] = [];
  readonly #recheck = new Set<number>();

  constructor(dal: Pick<Repositories, 'replicas' | 'commands' | 'replicationQueue'>, uuid: string) {
    this.#dal = dal;
    this.#uuid = uuid;
  }

  /** The datanode whose report the next steps come from. */
  get uuid(): string {
    return this.#uuid;
  }

  /** From here on, the steps are of this datanode's report. */
  from(uuid: string): this {
    this.#uuid = uuid;
    return this;
  }

  /** A copy recorded; a received (finalized) one confirms its transfer or recovery and, if asked, rechecks its queued block. */
  upsert(row: ReplicaRow, received: boolean, recheck = received): void {
    this.#steps.push({ kind: 'upsert', row });
    if (received) this.#confirmed.push({ uuid: row.datanodeUuid, blockId: row.blockId, genStamp: row.genStamp });
    if (recheck) this.#recheck.add(row.blockId);
  }

  /** A copy deleted from a storage: its row goes (if its block is known), and so does the invalidation that asked for it. */
  deleted(storageId: string, blockId: number, inodeId: number | undefined): void {
    this.#steps.push({ kind: 'delete', uuid: this.#uuid, storageId, blockId, inodeId });
  }

  other(...mutations: Mutation[]): void {
    for (const mutation of mutations) this.#steps.push({ kind: 'other', mutation });
  }

  statements(): Mutation[] {
    const { replicas, commands, replicationQueue } = this.#dal;
    const out: Mutation[] = [];
    let i = 0;
    while (i < this.#steps.length) {
      const step = this.#steps[i] as Step;
      if (step.kind === 'other') {
        out.push(step.mutation);
        i++;
      } else if (step.kind === 'upsert') {
        const rows: ReplicaRow[] = [];
        for (let s = this.#steps[i]; s?.kind === 'upsert'; s = this.#steps[++i]) rows.push(s.row);
        out.push(replicas.upsertBatched(rows));
      } else {
        const run: { blockId: number; inodeId: number | undefined }[] = [];
        for (let s = this.#steps[i]; s?.kind === 'delete' && s.uuid === step.uuid && s.storageId === step.storageId; s = this.#steps[++i]) run.push(s);
        const rows = run.flatMap((d) => (d.inodeId === undefined ? [] : [{ inodeId: d.inodeId, blockId: d.blockId }]));
        if (rows.length > 0) out.push(replicas.deleteOfStorageBatched(step.storageId, rows));
        // In order with the invalidations `other` may insert for the same blocks.
        out.push(commands.deleteByPkBatched(step.uuid, run.map((d) => ({ blockId: d.blockId, kind: CommandKind.Invalidate }))));
      }
    }
    if (this.#confirmed.length > 0) out.push(...commands.confirmReceived(this.#confirmed));
    if (this.#recheck.size > 0) out.push(replicationQueue.recheck([...this.#recheck]));
    return out;
  }
}
