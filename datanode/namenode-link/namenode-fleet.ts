import { createHash, randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { hadoop } from '../../protocol/generated/hadoop';
import type { DatanodeIdentity } from '../identity';
import type { ReplicaEvents } from '../replica-events';
import type { BlockStore, ReplicaInfo } from '../store/block-store';
import { encodeBlockListAsLongs } from './block-report-encoding';
import { datanodeStorage } from './datanode-messages';
import type { NamenodeLink } from './namenode-link';

const D = hadoop.hdfs.datanode;
const BlockStatus = D.ReceivedDeletedBlockInfoProto.BlockStatus;
/** DELETED changes wait this long to batch a burst of blocks into one call. */
const IBR_BATCH_MS = 50;
/**
 * RECEIVING changes wait longer, as in HDFS, where they go with the next
 * heartbeat or the next RECEIVED report, whichever is first: a small block
 * is finalized within the window, and its RECEIVED replaces the RECEIVING
 * (no namenode transaction for it at all).
 */
const RECEIVING_BATCH_MS = 1000;

interface PendingChange {
  replica: ReplicaInfo;
  status: hadoop.hdfs.datanode.ReceivedDeletedBlockInfoProto.BlockStatus;
}

/**
 * How a datanode talks to a fleet of namenodes.
 *
 * Every namenode is heartbeated (each NamenodeLink on its own), so each
 * knows this datanode is alive, and commands from any of them are run.
 * Reports (the full block report and blockReceivedAndDeleted) go to ONE
 * namenode, the "reporter": block state is shared rows, so one report is
 * enough, and N copies would only multiply database writes. The reporter is
 * the first registered namenode in an order ranked by hash(datanode uuid,
 * namenode address) — rendezvous hashing — so datanodes spread their
 * reports over the fleet and each one's choice is stable. When the reporter
 * is lost the next registered one takes over and first gets a full report
 * (reports in flight may have been lost with the old one); a re-registered
 * reporter gets one too, as in Hadoop. Full reports then repeat every
 * blockReportIntervalMs. All reporter calls run one at a time, so an
 * incremental report never overtakes the full report it follows.
 */
export class NamenodeFleet implements ReplicaEvents {
  readonly #links: NamenodeLink[];
  readonly #store: BlockStore;
  readonly #identity: DatanodeIdentity;
  readonly #logger: Logger;
  readonly #runCommand: (cmd: hadoop.hdfs.datanode.IDatanodeCommandProto) => void;
  #pending: PendingChange[] = [];
  #reporter: NamenodeLink | undefined;
  #chain: Promise<void> = Promise.resolve();
  #flushTimer: NodeJS.Timeout | undefined;
  /** When the pending timer fires (Date.now() ms). */
  #flushAt = Infinity;
  /** A flush is queued on the chain and has not started: later changes ride along with it. */
  #flushQueued = false;
  readonly #reportTimer: NodeJS.Timeout;

  constructor(
    links: NamenodeLink[],
    store: BlockStore,
    identity: DatanodeIdentity,
    logger: Logger,
    blockReportIntervalMs: number,
    runCommand: (cmd: hadoop.hdfs.datanode.IDatanodeCommandProto) => void,
  ) {
    const rank = (link: NamenodeLink): string => createHash('sha1').update(`${identity.datanodeUuid}/${link.address}`).digest('hex');
    this.#links = [...links].sort((a, b) => rank(a).localeCompare(rank(b)));
    this.#store = store;
    this.#identity = identity;
    this.#logger = logger;
    this.#runCommand = runCommand;
    this.#reportTimer = setInterval(() => this.#enqueue(() => this.#fullReport()), blockReportIntervalMs);
    this.#reportTimer.unref();
  }

  /** Wire into each NamenodeLink's onRegistered. */
  linkRegistered(link: NamenodeLink): void {
    const before = this.#reporter;
    this.#reporter = this.#choose();
    if (this.#reporter === link || this.#reporter !== before) this.#enqueue(() => this.#fullReport());
  }

  /** Wire into each NamenodeLink's onLost. */
  linkLost(link: NamenodeLink): void {
    if (this.#reporter !== link) return;
    this.#reporter = this.#choose();
    if (this.#reporter) this.#enqueue(() => this.#fullReport());
  }

  get reporter(): string | undefined {
    return this.#reporter?.address;
  }

  receiving(replica: ReplicaInfo): void {
    this.#add({ replica, status: BlockStatus.RECEIVING }, RECEIVING_BATCH_MS);
  }

  /**
   * A finalized copy is reported at once, as HDFS's
   * DataNode.notifyNamenodeReceivedBlock triggers an immediate incremental
   * report: the writer's complete/addBlock waits for it. A burst does not
   * make a call per block: while a report is in flight, everything that
   * arrives goes in the one next call.
   */
  received(replica: ReplicaInfo): void {
    // As HDFS's IncrementalBlockReportManager keeps one pending entry per block, the newest: a
    // RECEIVING still waiting for its batch says nothing the RECEIVED does not (a small block's
    // whole write fits in the batch window), and costs the namenode a transaction.
    this.#pending = this.#pending.filter((c) => c.status !== BlockStatus.RECEIVING || c.replica.blockId !== replica.blockId);
    this.#pending.push({ replica, status: BlockStatus.RECEIVED });
    this.#requestFlush();
  }

  deleted(replica: ReplicaInfo): void {
    this.#add({ replica, status: BlockStatus.DELETED }, IBR_BATCH_MS);
  }

  /**
   * A replica found corrupt when read: the namenode marks it, stops handing
   * it out, re-replicates the block from a good copy and then has this one
   * deleted.
   */
  corrupt(replica: ReplicaInfo): void {
    this.#enqueue(async () => {
      const reporter = this.#reporter;
      if (!reporter) return;
      await reporter.report('reportBadBlocks', hadoop.hdfs.ReportBadBlocksRequestProto, (registration, blockPoolId) => ({
        blocks: [
          {
            b: { poolId: blockPoolId, blockId: replica.blockId, generationStamp: replica.generationStamp, numBytes: replica.numBytes },
            offset: 0,
            locs: [{ id: registration.datanodeID }],
            corrupt: true,
            blockToken: { identifier: new Uint8Array(0), password: new Uint8Array(0), kind: '', service: '' },
            storageIDs: [this.#identity.storageUuid],
          },
        ],
      }), hadoop.hdfs.ReportBadBlocksResponseProto);
      this.#logger.warn({ blockId: replica.blockId }, 'reported a corrupt replica');
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.#reportTimer);
    clearTimeout(this.#flushTimer);
    await this.#chain;
  }

  #choose(): NamenodeLink | undefined {
    return this.#links.find((l) => l.registered);
  }

  /** Queues a change for a flush at most `withinMs` from now (sooner if another change or a RECEIVED asks). */
  #add(change: PendingChange, withinMs: number): void {
    this.#pending.push(change);
    const at = Date.now() + withinMs;
    if (at >= this.#flushAt) return;
    clearTimeout(this.#flushTimer);
    this.#flushAt = at;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.#flushAt = Infinity;
      this.#requestFlush();
    }, withinMs);
  }

  #requestFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    this.#enqueue(() => {
      this.#flushQueued = false;
      return this.#flush();
    });
  }

  #enqueue(task: () => Promise<void>): void {
    this.#chain = this.#chain.then(task).catch((err: unknown) => this.#logger.warn({ err }, 'report to namenode failed'));
  }

  async #flush(): Promise<void> {
    const reporter = this.#reporter;
    if (!reporter || this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    try {
      await reporter.report('blockReceivedAndDeleted', D.BlockReceivedAndDeletedRequestProto, (registration, blockPoolId) => ({
        registration,
        blockPoolId,
        blocks: [
          {
            storageUuid: this.#identity.storageUuid,
            storage: datanodeStorage(this.#identity, this.#store),
            blocks: batch.map(({ replica, status }) => ({
              block: { blockId: replica.blockId, genStamp: replica.generationStamp, numBytes: replica.numBytes },
              status,
            })),
          },
        ],
      }), D.BlockReceivedAndDeletedResponseProto);
    } catch (err) {
      // Keep them for the next reporter; a full report would cover them too.
      this.#pending = [...batch, ...this.#pending];
      throw err;
    }
  }

  async #fullReport(): Promise<void> {
    const reporter = this.#reporter;
    if (!reporter) return;
    // The report describes the store as of now: changes queued so far are in it.
    const replicas = this.#store.list();
    const covered = this.#pending;
    this.#pending = [];
    try {
      const answer = await reporter.report('blockReport', D.BlockReportRequestProto, (registration, blockPoolId) => ({
        registration,
        blockPoolId,
        reports: [{ storage: datanodeStorage(this.#identity, this.#store), blocks: encodeBlockListAsLongs(replicas) }],
        context: { totalRpcs: 1, curRpc: 0, id: randomInt(2 ** 31), leaseId: 0, sorted: false },
      }), D.BlockReportResponseProto);
      this.#logger.info({ namenode: reporter.address, replicas: replicas.length }, 'full block report sent');
      if (answer.cmd) this.#runCommand(answer.cmd);
    } catch (err) {
      this.#pending = [...covered, ...this.#pending];
      throw err;
    }
  }
}
