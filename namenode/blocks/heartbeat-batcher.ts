import type { StorageRow } from '../dal/datanode-repository';
import { DatanodeState, type DatanodeInfo, type HeartbeatStats } from '../domain/datanode-info';
import { FlightBatcher } from '../tx/flight-batcher';
import type { OpContext } from '../tx/op-context';

export interface Heartbeat {
  readonly uuid: string;
  readonly stats: HeartbeatStats;
  readonly storages: readonly Omit<StorageRow, 'datanodeUuid'>[];
}

/** register: unknown or declared dead; due: has commands to hand out; idle: nothing. */
export type HeartbeatAnswer = 'register' | 'due' | 'idle';

/** Largest number of datanodes one batch's statements carry. */
const MAX_BATCH = 500;
/** Batches at the database at once: a few overlap round trips; the rest of the heartbeats wait and coalesce. */
const MAX_IN_FLIGHT = 4;

const sameStats = (d: DatanodeInfo, s: HeartbeatStats): boolean =>
  d.capacity === s.capacity && d.dfsUsed === s.dfsUsed && d.remaining === s.remaining && d.blockPoolUsed === s.blockPoolUsed && d.nonDfsUsed === s.nonDfsUsed && d.xceiverCount === s.xceiverCount;

/**
 * Heartbeats of many datanodes coalesced (group commit): those arriving in
 * one turn of the event loop go together, and while MAX_IN_FLIGHT batches
 * are at the database the rest wait and join the next one. A batch
 * costs one round trip of two reads (the datanodes' rows; which of them
 * have commands due) and, when anything changed, one of two writes (their
 * rows; their storages), whatever its size.
 *
 * A row is written only when it would say something new: this namenode
 * has not written it since the datanode registered (its storages must
 * exist for placement), its usage changed, or it is older than
 * `refreshMs` — whoever refreshed it last, this namenode or another. So a
 * datanode heartbeating N namenodes costs its row about one write per
 * refresh interval while idle, not N per heartbeat interval; `refreshMs`
 * stays far below the expiry that declares a silent datanode dead, and
 * the stale interval in force stays above it (stale-datanodes.ts).
 */
export class HeartbeatBatcher {
  readonly #ctx: OpContext;
  readonly #refreshMs: number;
  /** Datanodes whose row and storages this namenode wrote since they registered here. */
  readonly #written = new Set<string>();
  readonly #batches: FlightBatcher<Heartbeat, HeartbeatAnswer>;

  constructor(ctx: OpContext, refreshMs: number) {
    this.#ctx = ctx;
    this.#refreshMs = refreshMs;
    this.#batches = new FlightBatcher(
      async (beats) => {
        const answers = await this.#flush(beats);
        return beats.map((b) => ({ ok: true, value: answers.get(b.uuid) ?? 'register' }));
      },
      MAX_BATCH,
      MAX_IN_FLIGHT,
    );
  }

  /** A datanode (re-)registered: its next heartbeat writes its storages again. */
  registered(uuid: string): void {
    this.#written.delete(uuid);
  }

  submit(beat: Heartbeat): Promise<HeartbeatAnswer> {
    return this.#batches.submit(beat);
  }

  async #flush(beats: readonly Heartbeat[]): Promise<Map<string, HeartbeatAnswer>> {
    const { datanodes, commands } = this.#ctx.dal;
    // The latest heartbeat of each datanode in the batch.
    const latest = new Map(beats.map((b) => [b.uuid, b]));
    const uuids = [...latest.keys()];
    const now = Date.now();
    const [rows, due] = await this.#ctx.runner.queryAll('sendHeartbeat', [
      datanodes.findByPkBatched(uuids),
      commands.findDatanodesWithDue(uuids, now - this.#ctx.config.commandRedeliveryMs),
    ] as const);
    const byUuid = new Map(rows.filter((d) => d.state !== DatanodeState.Dead).map((d) => [d.uuid, d]));
    const stale = [...latest.values()].filter((b) => {
      const row = byUuid.get(b.uuid);
      return row !== undefined && (!this.#written.has(b.uuid) || !sameStats(row, b.stats) || now - row.lastHeartbeat >= this.#refreshMs);
    });
    if (stale.length > 0) {
      const storages = stale.flatMap((b) => b.storages.map((s) => ({ ...s, datanodeUuid: b.uuid })));
      await this.#ctx.runner.mutate('sendHeartbeat', [
        datanodes.updateHeartbeatsBatched(stale.map((b) => ({ uuid: b.uuid, stats: b.stats })), now),
        ...(storages.length > 0 ? [datanodes.upsertStoragesBatched(storages, now)] : []),
      ]);
      for (const b of stale) this.#written.add(b.uuid);
    }
    const withDue = new Set(due);
    return new Map(uuids.map((u) => [u, !byUuid.has(u) ? 'register' : withDue.has(u) ? 'due' : 'idle']));
  }
}
