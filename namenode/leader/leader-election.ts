import type { Logger } from 'pino';
import type { DbSession } from '../dal/db-session';
import type { LiveNamenode, NamenodeRepository } from '../dal/namenode-repository';
import type { FleetMembership } from '../tx/fleet-membership';
import { ioError } from '../errors';

export interface LeaderElectionOptions {
  readonly db: DbSession;
  readonly namenodes: NamenodeRepository;
  readonly rpcAddress: string;
  readonly httpAddress: string;
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly onLeadershipChange?: (leading: boolean) => void;
}

/** A namenode is live while its last heartbeat is younger than 3 election intervals. */
export const aliveWindowMs = (intervalMs: number): number => 3 * intervalMs;

/**
 * Leader election through the database, no ZooKeeper: every namenode
 * heartbeats its row (a counter and the database's clock); the lowest id
 * whose heartbeat is younger than 3 intervals leads; rows silent for 10
 * intervals are reaped. A namenode that stalls past its window simply stops
 * leading — the next lowest takes over within 3 intervals plus one round.
 */
export class LeaderElection implements FleetMembership {
  readonly #o: LeaderElectionOptions;
  #id = 0;
  #leading = false;
  #timer: NodeJS.Timeout | undefined;
  #live: LiveNamenode[] = [];
  #round: Promise<void> | undefined;

  constructor(opts: LeaderElectionOptions) {
    this.#o = opts;
  }

  get id(): number {
    return this.#id;
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  /** FleetMembership: this namenode's id. */
  get selfId(): number {
    return this.#id;
  }

  /**
   * FleetMembership: whether `id` heartbeated within 3 intervals as of the
   * last round. Ids come from a counter, so an id above every one that round
   * saw belongs to a namenode that joined since: live.
   */
  isLive(id: number): boolean {
    return this.#live.some((n) => n.id === id) || this.#live.every((n) => n.id < id);
  }

  get live(): readonly LiveNamenode[] {
    return this.#live;
  }

  async start(): Promise<void> {
    this.#id = await this.#o.db.run(this.#o.namenodes.reserveId());
    await this.round();
    this.#schedule();
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#round = this.round();
      this.#round
        .catch((err: unknown) => {
          this.#o.logger.warn({ err }, 'leader election round failed');
          this.#set(false);
        })
        .finally(() => {
          this.#round = undefined;
          if (this.#timer) this.#schedule();
        });
    }, this.#o.intervalMs);
    this.#timer.unref();
  }

  /** One heartbeat and election round. */
  async round(): Promise<void> {
    const i = this.#o.intervalMs;
    this.#live = await this.#o.db.run(this.#o.namenodes.heartbeat(this.#id, this.#o.rpcAddress, this.#o.httpAddress, 10 * i, aliveWindowMs(i)));
    this.#set(this.#live[0]?.id === this.#id);
  }

  /**
   * The leader steps down: it rejoins the election under a new id, above
   * every live one, and drops its old row, so the next lowest id leads from
   * the next round on. A subtree operation this namenode has in flight
   * finds its lock lost and fails retriably. Refused when this namenode
   * does not lead, or leads alone (it would only elect itself again).
   */
  async handOver(): Promise<{ previousId: number; newId: number }> {
    await this.#round?.catch(() => undefined);
    if (!this.#leading) throw ioError('this namenode does not lead the fleet');
    if (this.#live.length < 2) throw ioError('no other live namenode to take over');
    const previousId = this.#id;
    this.#id = await this.#o.db.run(this.#o.namenodes.reserveId());
    await this.#o.db.mutate([this.#o.namenodes.deleteByPk(previousId)]);
    await this.round();
    this.#o.logger.info({ previousId, newId: this.#id }, 'leadership handed over');
    return { previousId, newId: this.#id };
  }

  #set(leading: boolean): void {
    if (leading === this.#leading) return;
    this.#leading = leading;
    this.#o.logger.info({ id: this.#id, leading }, leading ? 'became leader' : 'no longer leader');
    this.#o.onLeadershipChange?.(leading);
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#set(false);
    await this.#o.db.mutate([this.#o.namenodes.deleteByPk(this.#id)]).catch(() => undefined);
  }
}
