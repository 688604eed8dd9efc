import type { Logger } from 'pino';
import type { OpContext } from '../tx/op-context';
import { rollBlockKeys } from './duties/block-key-roller';
import { reapDeadDatanodes } from './duties/dead-datanodes';
import { recoverExpiredLeases } from './duties/lease-monitor';
import { scheduleReplication } from './duties/replication-monitor';
import type { LeaderElection } from './leader-election';

/**
 * The leader's duties, run every interval while this namenode leads: dead
 * datanode detection, re-replication and invalidation scheduling, lease
 * expiry and recovery, reaping expired retry-cache entries. Every duty works on rows only, so any namenode can
 * take over in the middle: nothing is lost when the leader dies.
 */
export class Housekeeper {
  readonly #ctx: OpContext;
  readonly #election: LeaderElection;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  rounds = 0;

  constructor(ctx: OpContext, election: LeaderElection, logger: Logger) {
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

  async runOnce(): Promise<void> {
    const now = Date.now();
    await rollBlockKeys(this.#ctx, now);
    const dead = await reapDeadDatanodes(this.#ctx, now);
    const scheduled = await scheduleReplication(this.#ctx, now, Math.max(5 * this.#ctx.config.heartbeatIntervalMs, 10_000));
    const recovered = await recoverExpiredLeases(this.#ctx, now);
    await this.#ctx.runner.mutate('retryCacheReaper', [this.#ctx.dal.retryCache.deleteExpired(now, 10_000)]);
    this.rounds++;
    if (dead + scheduled + recovered > 0) this.#logger.info({ dead, scheduled, recovered }, 'housekeeping');
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}
