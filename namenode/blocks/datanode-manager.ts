import { CommandKind, commandKeyText, RECOVERY_KINDS, type CommandRow } from '../dal/command-repository';
import type { StorageRow } from '../dal/datanode-repository';
import type { Mutation } from '../dal/query';
import { ReplicaState, type ReplicaRow, type StoredReplica } from '../dal/replica-repository';
import type { ReportedBlock, ReportedBlockRows } from '../dal/block-repository';
import { DatanodeState, type DatanodeIdentity, type DatanodeInfo, type HeartbeatStats } from '../domain/datanode-info';
import { BlockState, type Block, type BlockRef, type Location } from '../domain/located-blocks';
import { ReplicaEvent, type DatanodeCommand, type ReplicaChange, type ReportedReplica } from '../domain/datanode-messages';
import { NamesystemError } from '../errors';
import { FlightBatcher, type Settled } from '../tx/flight-batcher';
import type { OpContext } from '../tx/op-context';
import type { ReportedCopy } from '../tx/replica-waiters';
import type { WriteContext } from '../tx/tx-contexts';
import { declareDead } from './declare-dead';
import { HeartbeatBatcher } from './heartbeat-batcher';
import { heartbeatRecordMs } from './stale-datanodes';
import { ReplicaWrites } from './replica-writes';
import { recoverFile } from './file-recovery';
import { checkCount, MAX_BAD_BLOCKS, MAX_REPLICA_CHANGES } from './request-limits';

const MAX_COMMANDS_PER_HEARTBEAT = 1000;
const CHUNK = 500;
/** Replicas of a full report handled per transaction (and per multi-row statement). */
const REPORT_CHUNK = 1000;
/** Incremental reports of at most this many changes share transactions (ReportBatch); bigger ones go alone. */
const SMALL_REPORT = 64;
/** Reports one shared transaction carries at most. */
const MAX_REPORTS_PER_BATCH = 64;
/** Report transactions at the database at once; the reports arriving meanwhile wait and join the next. */
const MAX_REPORT_BATCHES_IN_FLIGHT = 2;

/** One datanode's incremental report (or a chunk of one). */
interface ChangesOf {
  readonly uuid: string;
  readonly changes: readonly ReplicaChange[];
}
/**
 * The namenode side of DatanodeProtocol: descriptors, storages, replica
 * state and the per-datanode work queues, all as rows, so any namenode of
 * the fleet can take any datanode's report and hand out its work.
 */
export class DatanodeManager {
  readonly #ctx: OpContext;
  readonly #heartbeats: HeartbeatBatcher;
  /** Small incremental reports of any datanodes, a batch per transaction: the three RECEIVED of a block commit together. */
  readonly #reports: FlightBatcher<ChangesOf, ReadonlySet<number>>;

  constructor(ctx: OpContext) {
    this.#ctx = ctx;
    this.#heartbeats = new HeartbeatBatcher(ctx, heartbeatRecordMs(ctx.config));
    this.#reports = new FlightBatcher((batch) => this.#changedTogether(batch), MAX_REPORTS_PER_BATCH, MAX_REPORT_BATCHES_IN_FLIGHT);
  }

  async register(dn: DatanodeIdentity): Promise<void> {
    const row: DatanodeInfo = { ...dn, capacity: 0, dfsUsed: 0, remaining: 0, blockPoolUsed: 0, nonDfsUsed: 0, xceiverCount: 0, lastHeartbeat: 0, state: DatanodeState.Normal };
    await this.#ctx.runner.mutate('registerDatanode', [this.#ctx.dal.datanodes.upsert(row, Date.now())]);
    this.#heartbeats.registered(dn.uuid);
  }

  /**
   * Records liveness and storage use; answers the work queued for the
   * datanode, or a request to register when it is unknown or was declared
   * dead meanwhile.
   */
  /**
   * Hadoop's DatanodeManager.removeDatanode, which a datanode's
   * FATAL_DISK_ERROR report triggers: the datanode is dead at once (not
   * after the heartbeat expiry), its blocks queued for re-replication.
   * False when it was already dead.
   */
  removeDatanode(uuid: string): Promise<boolean> {
    return declareDead(this.#ctx, 'removeDatanode', uuid, Number.MAX_SAFE_INTEGER);
  }

  async heartbeat(uuid: string, stats: HeartbeatStats, storages: readonly Omit<StorageRow, 'datanodeUuid'>[]): Promise<DatanodeCommand[]> {
    // Coalesced with the other datanodes' heartbeats (see HeartbeatBatcher); only one with work due takes a transaction.
    const answer = await this.#heartbeats.submit({ uuid, stats, storages });
    if (answer === 'register') return [{ kind: 'register' }];
    return answer === 'due' ? this.#takeCommands(uuid) : [];
  }

  /**
   * Hands out the datanode's commands due for delivery: never handed out,
   * or handed out longer ago than the redelivery interval and still not
   * confirmed by a report (the answer to that heartbeat may have been lost).
   * A command handed out too often is dropped, recoveries excepted (the work
   * it stood for is scheduled again by the duty that made it if still
   * needed); a recovery stays until its holder reports the recovered copy or
   * is declared dead, so a file never stays under recovery for want of it.
   */
  async #takeCommands(uuid: string): Promise<DatanodeCommand[]> {
    const { commands } = this.#ctx.dal;
    const { commandRedeliveryMs, commandMaxDeliveries } = this.#ctx.config;
    const rows = await this.#ctx.runner.transaction('takeCommands', async (tx) => {
      const due = await tx.run(commands.findDueByDatanodeForUpdate(uuid, tx.now - commandRedeliveryMs, MAX_COMMANDS_PER_HEARTBEAT));
      const spent = due.filter((c) => c.deliveries >= commandMaxDeliveries && !RECOVERY_KINDS.includes(c.kind));
      const taken = due.filter((c) => !spent.includes(c));
      if (spent.length > 0) tx.changes.add(commands.deleteByPkBatched(uuid, spent));
      if (taken.length === 0) return [];
      tx.changes.add(commands.markHandedOut(uuid, taken, tx.now));
      const named = taken.filter((c) => c.kind !== CommandKind.Invalidate);
      const targets = named.length > 0 ? await tx.run(commands.findTargetsBatched(uuid, named)) : new Map<string, string[]>();
      return taken.map((c) => ({ ...c, targets: targets.get(commandKeyText(c)) ?? [] }));
    });
    if (rows.length === 0) return [];
    return this.#commandsOf(rows);
  }

  async #commandsOf(rows: readonly CommandRow[]): Promise<DatanodeCommand[]> {
    const invalidate: BlockRef[] = [];
    const transfers: { block: BlockRef; targets: readonly string[] }[] = [];
    const recoveries: { block: BlockRef; newGenStamp: number; targets: readonly string[]; truncateTo?: number; newBlockId?: number }[] = [];
    const sources = await this.#copySources(rows);
    for (const { blockId, genStamp, numBytes, targets, kind } of rows) {
      const block = { blockId, genStamp, numBytes };
      if (kind === CommandKind.Invalidate) invalidate.push(block);
      else if (kind === CommandKind.Recover) recoveries.push({ block, newGenStamp: genStamp, targets });
      else if (kind === CommandKind.RecoverTruncate) recoveries.push({ block, newGenStamp: genStamp, targets, truncateTo: numBytes });
      else if (kind === CommandKind.CopyTruncate) {
        // The source a snapshot keeps; gone (reclaimed meanwhile) leaves nothing to copy from.
        const from = sources.get(blockId);
        if (from) recoveries.push({ block: from, newGenStamp: genStamp, targets, truncateTo: numBytes, newBlockId: blockId });
      } else transfers.push({ block, targets });
    }
    const commands: DatanodeCommand[] = [];
    if (invalidate.length > 0) commands.push({ kind: 'invalidate', blocks: invalidate });
    if (transfers.length + recoveries.length > 0) {
      const locations = await this.#locations([...transfers, ...recoveries].flatMap((t) => t.targets));
      const resolve = (uuids: readonly string[]) => uuids.map((u) => locations.get(u)).filter((l): l is Location => l !== undefined);
      for (const t of transfers) {
        const targets = resolve(t.targets);
        if (targets.length > 0) commands.push({ kind: 'transfer', block: t.block, targets });
      }
      for (const r of recoveries) {
        const truncate = r.truncateTo === undefined ? {} : { truncateTo: r.truncateTo, ...(r.newBlockId === undefined ? {} : { newBlockId: r.newBlockId }) };
        commands.push({ kind: 'recover', block: r.block, newGenStamp: r.newGenStamp, holders: resolve(r.targets), ...truncate });
      }
    }
    return commands;
  }

  /** The old blocks copy-on-truncate commands copy from, by the new block's id (one read, only when there are such commands). */
  async #copySources(rows: readonly CommandRow[]): Promise<Map<number, BlockRef>> {
    const ids = rows.filter((c) => c.kind === CommandKind.CopyTruncate).map((c) => c.blockId);
    if (ids.length === 0) return new Map();
    const found = await this.#ctx.runner.query('copyTruncateSources', this.#ctx.dal.blockVersions.findByReplacementBatched(ids));
    return new Map(found.map((v) => [v.replacedBy, { blockId: v.blockId, genStamp: v.genStamp, numBytes: v.numBytes }]));
  }

  async #locations(uuids: readonly string[]): Promise<Map<string, Location>> {
    const wanted = new Set(uuids);
    const out = new Map<string, Location>();
    if (wanted.size === 0) return out;
    for (const l of await this.#ctx.runner.query('datanodeLocations', this.#ctx.dal.datanodes.findStoragesByUuidBatched([...wanted]))) {
      if (!out.has(l.datanode.uuid)) out.set(l.datanode.uuid, l);
    }
    return out;
  }

  /** See assertRegistered. */
  async #checkRegistered(uuid: string): Promise<void> {
    assertRegistered(uuid, (await this.#ctx.runner.query('checkRegistered', this.#ctx.dal.datanodes.findByPk(uuid)))?.state);
  }

  /** Incremental report: replicas received, being received, or deleted on one datanode. */
  async replicasChanged(uuid: string, changes: readonly ReplicaChange[]): Promise<void> {
    checkCount('blockReceivedAndDeleted', changes.length, MAX_REPLICA_CHANGES);
    if (changes.length === 0) await this.#checkRegistered(uuid);
    this.#ctx.replicaWaiters.reportFrom(uuid);
    for (let i = 0; i < changes.length; i += CHUNK) {
      const report = { uuid, changes: changes.slice(i, i + CHUNK) };
      const recovered = report.changes.length <= SMALL_REPORT ? await this.#reports.submit(report) : await this.#changedAlone(report);
      for (const inodeId of recovered) await this.#finishRecovery(inodeId);
    }
  }

  /**
   * Reports of several datanodes in one transaction: one round trip reads
   * their blocks and registrations, one share-locks the files, and their
   * writes go in one ReplicaWrites (one upsert for all their copies) with
   * COMMIT. A report from a datanode that is not registered fails alone;
   * any database error runs the reports again one by one, so one report's
   * failure never fails another's.
   */
  async #changedTogether(batch: readonly ChangesOf[]): Promise<Settled<ReadonlySet<number>>[]> {
    if (batch.length === 1) return [await settled(() => this.#changedAlone(batch[0] as ChangesOf))];
    try {
      return await this.#changedIn(batch);
    } catch {
      const out: Settled<ReadonlySet<number>>[] = [];
      for (const report of batch) out.push(await settled(() => this.#changedAlone(report)));
      return out;
    }
  }

  async #changedAlone(report: ChangesOf): Promise<ReadonlySet<number>> {
    const [answer] = await this.#changedIn([report]);
    if (!answer?.ok) throw answer?.error;
    return answer.value;
  }

  /** The files whose blocks' recovered copies arrived, per report (their recovery may finish now). */
  #changedIn(batch: readonly ChangesOf[]): Promise<Settled<ReadonlySet<number>>[]> {
    return this.#ctx.runner.transaction('blockReceivedAndDeleted', async (tx) => {
      const ids = [...new Set(batch.flatMap((r) => r.changes.map((c) => c.blockId)))];
      // Registrations checked in the first round trip: a small report (a block's RECEIVED, which the
      // writer's complete waits for) costs one round trip less.
      const { blocks, registrations } = await this.#blocksWithFilesLocked(tx, ids, [...new Set(batch.map((r) => r.uuid))]);
      const writes = new ReplicaWrites(tx.dal, '');
      const arrived = new Set<number>();
      const copied: ReportedCopy[] = [];
      const answers = batch.map((r): Settled<ReadonlySet<number>> => {
        try {
          assertRegistered(r.uuid, registrations.get(r.uuid));
        } catch (error) {
          return { ok: false, error };
        }
        this.#replicaWrites(writes.from(r.uuid), r.changes, blocks, tx.now);
        const received = r.changes.filter((c) => c.event === ReplicaEvent.Received).map((c) => blocks.get(c.blockId));
        for (const b of received) if (b) arrived.add(b.inodeId);
        for (const c of r.changes) if (c.event === ReplicaEvent.Received && c.genStamp >= (blocks.get(c.blockId)?.genStamp ?? Infinity)) copied.push({ blockId: c.blockId, uuid: r.uuid });
        return { ok: true, value: new Set(received.filter((b) => b?.state === BlockState.UnderRecovery).map((b) => (b as Block).inodeId)) };
      });
      tx.changes.add(...writes.statements());
      // complete/addBlock calls on this namenode waiting for these copies try again at once.
      if (arrived.size > 0) tx.onCommit(() => this.#ctx.replicaWaiters.notify(arrived, copied));
      return answers;
    });
  }

  /**
   * The blocks, read after share-locking their files (file first, as every
   * writer locks them): a report holds off a concurrent delete of the file
   * until the copy is recorded, so the delete sees and invalidates it; a
   * report arriving after the delete finds no block and invalidates the copy.
   * The files of blocks this namenode allocated (BlockOwners) are locked in
   * the round trip that reads the blocks; the others, and a block a concat
   * moved since, are read first to learn their files, then locked and read
   * again. Each block says whether a finalized copy of it has a command to
   * confirm or a queued block to settle; the states of the datanodes `uuids`
   * come with the blocks.
   */
  async #blocksWithFilesLocked(tx: WriteContext, ids: readonly number[], uuids: readonly string[] = []): Promise<{ blocks: Map<number, ReportedBlock>; registrations: ReadonlyMap<string, DatanodeState> }> {
    const { blocks, inodes } = tx.dal;
    const owners = this.#ctx.blockOwners;
    const hinted = ids.map((id) => owners.get(id));
    const locked = new Set<number>();
    const lockAndRead = async (files: readonly number[]): Promise<ReportedBlockRows> => {
      for (const f of files) locked.add(f);
      return (await tx.runAll([inodes.findByIdBatched(files, 'shared'), blocks.findReportedBatched(ids, uuids)]))[1];
    };
    let rows = hinted.every((h) => h !== undefined) ? await lockAndRead(sortedUnique(hinted as number[])) : await tx.run(blocks.findReportedBatched(ids, uuids));
    const unlocked = sortedUnique([...rows.blocks, ...rows.kept].map((b) => b.inodeId).filter((f) => !locked.has(f)));
    // Held locks stay: only a stale hint (a concat) takes these out of the global order, and a deadlock is retried.
    if (unlocked.length > 0) rows = await lockAndRead(unlocked);
    for (const b of rows.blocks) if (owners.get(b.blockId) !== undefined && owners.get(b.blockId) !== b.inodeId) owners.set(b.blockId, b.inodeId);
    // A block a snapshot keeps after a truncate (block_versions) is known too: its copies are recorded, never invalidated.
    return { blocks: new Map([...rows.kept, ...rows.blocks].map((b) => [b.blockId, b])), registrations: rows.registrations };
  }

  #replicaWrites(writes: ReplicaWrites, chunk: readonly ReplicaChange[], blocks: ReadonlyMap<number, ReportedBlock>, now: number): void {
    for (const c of chunk) {
      const block = blocks.get(c.blockId);
      if (c.event === ReplicaEvent.Deleted) {
        // The invalidation that asked for it is done.
        writes.deleted(c.storageId, c.blockId, block?.inodeId);
        continue;
      }
      if (!block || c.genStamp < block.genStamp) {
        // A replica of a deleted file, or of an older generation: the datanode should drop it.
        if (c.event === ReplicaEvent.Received) writes.other(...this.#invalidate(writes.uuid, c, now));
        continue;
      }
      // A Received copy confirms the transfer or recovery that made it, and may settle a queued block.
      const received = c.event === ReplicaEvent.Received;
      writes.upsert(this.#replica(block, writes.uuid, c, received), received && block.commanded, received && block.queued);
    }
  }

  /** A recovered copy arrived: close the file as soon as every expected copy is in. */
  async #finishRecovery(inodeId: number): Promise<void> {
    await this.#ctx.runner.writeInode('finishRecovery', inodeId, async (file, tx) => (file && file.ucClient !== null ? recoverFile(this.#ctx, file, tx) : 'closed'));
  }

  /**
   * Full report of one storage: replicas the rows do not know are recorded
   * (or invalidated when their block is gone), rows the report does not
   * confirm are dropped.
   */
  async fullReport(uuid: string, storageId: string, reported: readonly ReportedReplica[]): Promise<void> {
    await this.#checkRegistered(uuid);
    const arrived = Date.now();
    const { replicas } = this.#ctx.dal;
    const known = new Map<number, StoredReplica>();
    for (const row of await this.#ctx.runner.query('blockReport', replicas.findByStorageWithBlockStamps(uuid, storageId))) known.set(row.blockId, row);
    // Most of a report confirms what the rows already say of blocks still at that stamp: only the rest is worth a transaction.
    const changed = reported.filter((c) => {
      const had = known.get(c.blockId);
      const state = c.finalized ? ReplicaState.Finalized : ReplicaState.BeingWritten;
      return !(had?.blockGenStamp !== undefined && c.genStamp >= had.blockGenStamp && had.genStamp === c.genStamp && had.numBytes === c.numBytes && had.state === state);
    });
    for (let i = 0; i < changed.length; i += REPORT_CHUNK) {
      const chunk = changed.slice(i, i + REPORT_CHUNK);
      // As for incremental reports: recorded under a share lock of each file, so a concurrent delete sees the copy.
      await this.#ctx.runner.transaction('blockReport', async (tx) => {
        const { blocks: locked } = await this.#blocksWithFilesLocked(tx, [...new Set(chunk.map((c) => c.blockId))]);
        const writes = new ReplicaWrites(tx.dal, uuid);
        for (const c of chunk) {
          const block = locked.get(c.blockId);
          if (!block || c.genStamp < block.genStamp) {
            if (c.finalized) writes.other(...this.#invalidate(uuid, c, tx.now));
          } else {
            // A copy whose incremental report was lost still confirms the transfer or recovery that made it.
            writes.upsert(this.#replica(block, uuid, { ...c, storageId }, c.finalized), c.finalized && block.commanded, false);
          }
        }
        tx.changes.add(...writes.statements());
      });
    }
    const seen = new Set(reported.map((c) => c.blockId));
    const gone = [...known.values()].filter((r) => !seen.has(r.blockId));
    for (let i = 0; i < gone.length; i += REPORT_CHUNK) await this.#ctx.runner.mutate('blockReport', [replicas.deleteOfStorageBatched(storageId, gone.slice(i, i + REPORT_CHUNK))]);
    await this.#confirmInvalidations(uuid, reported, arrived);
  }

  /**
   * Invalidations handed out before this report arrived whose replica it no
   * longer lists (or lists at a newer stamp the command spares) are done:
   * their Deleted report was lost. One confirmed too early (the replica sits
   * on another storage) comes back with that storage's report.
   */
  async #confirmInvalidations(uuid: string, reported: readonly ReportedReplica[], arrived: number): Promise<void> {
    const { commands } = this.#ctx.dal;
    const handedOut = await this.#ctx.runner.query('blockReport', commands.findHandedOutInvalidations(uuid, arrived));
    if (handedOut.length === 0) return;
    const stamps = new Map(reported.map((c) => [c.blockId, c.genStamp]));
    const done = handedOut.filter((c) => (stamps.get(c.blockId) ?? Infinity) > c.genStamp);
    for (let i = 0; i < done.length; i += CHUNK) await this.#ctx.runner.mutate('blockReport', [commands.deleteByPkBatched(uuid, done.slice(i, i + CHUNK))]);
  }

  /** A copy of a deleted file or of an older generation: its datanode should drop it. */
  #invalidate(uuid: string, c: BlockRef, now: number): Mutation[] {
    return this.#ctx.dal.commands.insert({ datanodeUuid: uuid, blockId: c.blockId, kind: CommandKind.Invalidate, genStamp: c.genStamp, numBytes: c.numBytes, targets: [] }, now);
  }

  #replica(block: Block, uuid: string, c: ReportedReplica & { storageId: string }, finalized: boolean): ReplicaRow {
    return {
      inodeId: block.inodeId,
      blockId: block.blockId,
      storageId: c.storageId,
      datanodeUuid: uuid,
      genStamp: c.genStamp,
      numBytes: c.numBytes,
      state: finalized ? ReplicaState.Finalized : ReplicaState.BeingWritten,
    };
  }

  async #blocksById(ids: readonly number[]): Promise<Map<number, Block>> {
    if (ids.length === 0) return new Map();
    const blocks = await this.#ctx.runner.query('blocksById', this.#ctx.dal.blocks.findByIdBatched([...new Set(ids)]));
    return new Map(blocks.map((b) => [b.blockId, b]));
  }

  /**
   * Replicas a reader or a datanode found corrupt: marked so, never handed
   * out while a good copy exists; the leader re-replicates the block and
   * then has the corrupt copy deleted.
   */
  async markCorrupt(reporterUuid: string | undefined, bad: readonly { blockId: number; datanodeUuid: string; storageId: string }[]): Promise<void> {
    checkCount('reportBadBlocks', bad.length, MAX_BAD_BLOCKS);
    // A client reports too (ClientProtocol.reportBadBlocks): only a datanode must be registered.
    if (reporterUuid !== undefined) await this.#checkRegistered(reporterUuid);
    const blocks = await this.#blocksById(bad.map((b) => b.blockId));
    const now = Date.now();
    const { replicas, replicationQueue } = this.#ctx.dal;
    const statements: Mutation[] = [];
    for (const b of bad) {
      const block = blocks.get(b.blockId);
      if (!block) continue;
      statements.push(replicas.markCorrupt(block.inodeId, b.blockId, b.datanodeUuid), replicationQueue.enqueue(b.blockId, block.inodeId, now));
    }
    await this.#ctx.runner.mutate('reportBadBlocks', statements);
  }

  async report(): Promise<DatanodeInfo[]> {
    return this.#ctx.runner.query('getDatanodeReport', this.#ctx.dal.datanodes.findAll());
  }
}

const sortedUnique = (ids: readonly number[]): number[] => [...new Set(ids)].sort((a, b) => a - b);

async function settled<A>(run: () => Promise<A>): Promise<Settled<A>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * Reports are taken only from datanodes that are registered and not
 * declared dead; any other gets UnregisteredNodeException and registers
 * again (then sends a full report), as with HDFS.
 */
function assertRegistered(uuid: string, state: DatanodeState | undefined): void {
  if (state === undefined || state === DatanodeState.Dead) {
    throw new NamesystemError('UnregisteredNode', `Data node ${uuid} is not registered or was declared dead: register again`);
  }
}
