import type { SqlParam, SqlSession } from './sql-session';
import { classifyDbError } from '../db-errors';

export interface OwnConnection extends SqlSession {
  end(): Promise<void>;
}

/**
 * One connection of its own for counter reservations (id ranges, generation
 * stamps). They are asked for by transactions that already hold a pool
 * connection; taking a second one from the pool could deadlock a busy
 * namenode whose every pooled connection waits for ids. Queries run one at
 * a time; a lost connection is reopened once.
 */
export class SideChannel implements SqlSession {
  readonly #open: () => Promise<OwnConnection>;
  #conn: Promise<OwnConnection> | undefined;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(open: () => Promise<OwnConnection>) {
    this.#open = open;
  }

  query(sql: string, params?: readonly SqlParam[]): Promise<[unknown, unknown]> {
    const run = this.#chain.then(() => this.#attempt(sql, params, true));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #attempt(sql: string, params: readonly SqlParam[] | undefined, retry: boolean): Promise<[unknown, unknown]> {
    this.#conn ??= this.#open();
    try {
      return await (await this.#conn).query(sql, params);
    } catch (e) {
      if (classifyDbError(e) !== 'connection' || !retry) throw e;
      this.#conn = undefined;
      return this.#attempt(sql, params, false);
    }
  }

  async end(): Promise<void> {
    const conn = this.#conn;
    this.#conn = undefined;
    if (conn) await (await conn).end().catch(() => undefined);
  }
}
