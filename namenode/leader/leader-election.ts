import type { Logger } from 'pino';
import { deleteDeadNamenodes, deleteNamenode, reserveNamenodeId, selectLiveNamenodes, upsertNamenode } from '../dal/namenode-dal';
import { joinStatements, resultSets, rowsOf, type SqlSession } from '../dal/sql-session';

export interface LiveNamenode {
  readonly id: number;
  readonly rpcAddress: string;
  readonly httpAddress: string;
}

export interface LeaderElectionOptions {
  readonly db: SqlSession;
  readonly rpcAddress: string;
  readonly httpAddress: string;
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly onLeadershipChange?: (leading: boolean) => void;
}

/**
 * Leader election through the database, no ZooKeeper: every namenode
 * heartbeats its row (a counter and the database's clock); the lowest id
 * whose heartbeat is younger than 3 intervals leads; rows silent for 10
 * intervals are reaped. A namenode that stalls past its window simply stops
 * leading — the next lowest takes over within 3 intervals plus one round.
 */
export class LeaderElection {
  readonly #o: LeaderElectionOptions;
  #id = 0;
  #leading = false;
  #timer: NodeJS.Timeout | undefined;
  #live: LiveNamenode[] = [];

  constructor(opts: LeaderElectionOptions) {
    this.#o = opts;
  }

  get id(): number {
    return this.#id;
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  get live(): readonly LiveNamenode[] {
    return this.#live;
  }

  async start(): Promise<void> {
    const stmts = reserveNamenodeId();
    const joined = joinStatements(stmts);
    const [raw] = await this.#o.db.query(joined.sql, joined.params);
    this.#id = Number(rowsOf(resultSets(raw, stmts.length)[2])[0]?.['id']);
    await this.round();
    this.#schedule();
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.round()
        .catch((err: unknown) => {
          this.#o.logger.warn({ err }, 'leader election round failed');
          this.#set(false);
        })
        .finally(() => {
          if (this.#timer) this.#schedule();
        });
    }, this.#o.intervalMs);
    this.#timer.unref();
  }

  /** One heartbeat and election round. */
  async round(): Promise<void> {
    const i = this.#o.intervalMs;
    const stmts = [upsertNamenode(this.#id, this.#o.rpcAddress, this.#o.httpAddress), deleteDeadNamenodes(10 * i), selectLiveNamenodes(3 * i)];
    const joined = joinStatements(stmts);
    const [raw] = await this.#o.db.query(joined.sql, joined.params);
    this.#live = rowsOf(resultSets(raw, stmts.length)[2]).map((r) => ({
      id: Number(r['id']),
      rpcAddress: String(r['rpc_address']),
      httpAddress: String(r['http_address']),
    }));
    this.#set(this.#live[0]?.id === this.#id);
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
    const stmt = deleteNamenode(this.#id);
    await this.#o.db.query(stmt.sql, stmt.params).catch(() => undefined);
  }
}
