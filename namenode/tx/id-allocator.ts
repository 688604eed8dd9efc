import { reserveRangeByPk } from '../dal/counter-dal';
import { joinStatements, resultSets, rowsOf, type SqlSession } from '../dal/sql-session';

/**
 * Hands out ids from a counter row, reserving them `rangeSize` at a time so
 * the row is touched once per range rather than once per id (no hot row).
 * Reservations commit on their own: ids of a failed operation are skipped,
 * never reused.
 */
export class IdAllocator {
  readonly #db: SqlSession;
  readonly #counter: string;
  readonly #rangeSize: number;
  #next = 0;
  #end = 0;
  #refill: Promise<void> | undefined;

  constructor(db: SqlSession, counter: string, rangeSize = 1000) {
    this.#db = db;
    this.#counter = counter;
    this.#rangeSize = rangeSize;
  }

  async next(): Promise<number> {
    while (this.#next >= this.#end) {
      this.#refill ??= this.#reserve().finally(() => {
        this.#refill = undefined;
      });
      await this.#refill;
    }
    return this.#next++;
  }

  async #reserve(): Promise<void> {
    const stmts = reserveRangeByPk(this.#counter, this.#rangeSize);
    const stmt = joinStatements(stmts);
    const [raw] = await this.#db.query(stmt.sql, stmt.params);
    const sets = resultSets(raw, stmts.length);
    const top = Number(rowsOf(sets[1])[0]?.['value']);
    if (!Number.isSafeInteger(top) || top <= 0) throw new Error(`counter ${this.#counter} is missing`);
    this.#next = top - this.#rangeSize + 1;
    this.#end = top + 1;
  }
}
