import type { Logger } from 'pino';
import type { OpContext } from '../tx/op-context';
import { rollBlockKeys } from './duties/block-key-roller';
import { reapDeadDatanodes } from './duties/dead-datanodes';
import { clearDeadSubtreeLocks } from './duties/dead-subtree-locks';
import { recoverExpiredLeases } from './duties/lease-monitor';
import { scheduleReplication } from './duties/replication-monitor';
import { checkDecommissioning } from './duties/decommission-monitor';
import { reclaimSnapshots } from './duties/snapshot-reclaimer';
import type { LeaderElection } from './leader-election';
import type { SharedOrphanSweeper } from './duties/shared-orphans';
import { trimChangeLog } from './duties/change-log-trim';
import type { ChangeFeed } from '../changelog/change-feed';
import { StatusBytesBackfill } from './duties/status-bytes-backfill';

/**
 * The leader's duties, run every interval while this namenode leads: dead
 * datanode detection, re-replication and invalidation scheduling, the end of decommissioning, lease
 * expiry and recovery, clearing dead namenodes' subtree locks, reaping expired retry-cache entries, filling the status bytes of rows older than schema v16. Every duty works on rows only, so any namenode can
 * take over in the middle: nothing is lost when the leader dies.
 */
export class Housekeeper {
  readonly #ctx: OpContext;
  readonly #election: LeaderElection;
  readonly #logger: Logger;
  readonly #orphans: SharedOrphanSweeper | undefined;
  readonly #changeFeed: ChangeFeed | undefined;
  /** Rows written before schema v16 get their status bytes (listings copy them). */
  readonly statusBytes = new StatusBytesBackfill();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  rounds = 0;
  /** Duties that failed, over all rounds. */
  failures = 0;

  /** `orphans`: the sweep of the shared block store, when the fleet has one (Swift). */
  constructor(ctx: OpContext, election: LeaderElection, logger: Logger, orphans?: SharedOrphanSweeper, changeFeed?: ChangeFeed) {
    this.#orphans = orphans;
    this.#changeFeed = changeFeed;
    this.#ctx = ctx;
    this.#election = election;
    this.#logger = logger;
  }

  start(): void {
    this.#timer = setInterval(() => {
      if (!this.#election.isLeader || this.#running) return;
      this.#running = this.runOnce()
        .catch((err: unknown) => this.#logger.warn({ err }, 'housekeeping round failed'))
        .finally(() => (this.#running = undefined));
    }, this.#ctx.config.housekeepingIntervalMs);
    this.#timer.unref();
  }

  /**
   * One round. The duties are independent: one that fails (a database
   * error, a row it cannot write) is logged and the others still run, so a
   * stuck re-replication never stalls lease recovery or retry-cache reaping.
   */
  async runOnce(): Promise<void> {
    const now = Date.now();
    const ctx = this.#ctx;
    await this.#duty('blockKeys', async () => {
      await rollBlockKeys(ctx, now);
      return 0;
    });
    const dead = await this.#duty('deadDatanodes', () => reapDeadDatanodes(ctx, now));
    const scheduled = await this.#duty('replicationMonitor', () => scheduleReplication(ctx, now, Math.max(5 * ctx.config.heartbeatIntervalMs, 10_000)));
    const decommissioned = await this.#duty('decommissionMonitor', () => checkDecommissioning(ctx, now));
    if (decommissioned > 0) this.#logger.info({ decommissioned }, 'datanodes decommissioned');
    const recovered = await this.#duty('leaseMonitor', () => recoverExpiredLeases(ctx, now));
    const unlocked = await this.#duty('deadSubtreeLocks', () => clearDeadSubtreeLocks(ctx));
    if (unlocked > 0) this.#logger.info({ unlocked }, 'subtree locks of dead namenodes cleared');
    const reclaimed = await this.#duty('snapshotReclaimer', () => reclaimSnapshots(ctx));
    if (reclaimed > 0) this.#logger.info({ reclaimed }, 'versions of deleted snapshots reclaimed');
    const orphans = this.#orphans;
    const swept = orphans ? await this.#duty('sharedOrphans', () => orphans.round(ctx, now)) : 0;
    if (swept > 0) this.#logger.info({ swept }, 'orphaned shared-storage objects removed');
    if (!this.statusBytes.done) {
      const filled = await this.#duty('statusBytesBackfill', () => this.statusBytes.round(ctx));
      if (filled > 0) this.#logger.debug({ filled, total: this.statusBytes.filled }, 'status bytes backfilled');
      if (this.statusBytes.done && this.statusBytes.filled > 0) this.#logger.info({ total: this.statusBytes.filled }, 'status bytes backfill done');
    }
    await this.#duty('retryCacheReaper', async () => (await ctx.runner.mutate('retryCacheReaper', [ctx.dal.retryCache.deleteExpired(now, 10_000)]))[0] ?? 0);
    const feed = this.#changeFeed;
    if (feed) await this.#duty('changeLogTrim', () => trimChangeLog(feed, ctx.config, now));
    this.rounds++;
    if (dead + scheduled + recovered > 0) this.#logger.info({ dead, scheduled, recovered }, 'housekeeping');
  }

  /** Runs one duty; a failure is logged and counts as no work done. */
  async #duty(name: string, run: () => Promise<number>): Promise<number> {
    try {
      return await run();
    } catch (err) {
      this.failures++;
      this.#logger.warn({ err, duty: name }, 'housekeeping duty failed');
      return 0;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}
