import type { ChangeLogClocks, ChangeLogRepository } from '../dal/change-log-repository';
import type { TransactionRunner } from '../tx/transaction-runner';
import type { ChangeBatch } from '../domain/change-event';

/** A cursor below what the leader has trimmed: the changes after it are gone (gRPC OUT_OF_RANGE; inotify's MissingEventsException). */
export class ChangeLogTrimmed extends Error {}

/** Transactions one sequencing pass orders. */
const SEQUENCE_LIMIT = 1000;
/** Rows one trimming delete removes. */
const TRIM_BATCH = 10_000;

/**
 * The reading side of the change log on one namenode: orders committed
 * transactions (any namenode may; see README.md) and reads batches of
 * positions after a cursor.
 */
export class ChangeFeed {
  readonly #runner: TransactionRunner;
  readonly #repo: ChangeLogRepository;
  #sequencing: Promise<number> | undefined;

  constructor(runner: TransactionRunner, repo: ChangeLogRepository) {
    this.#runner = runner;
    this.#repo = repo;
  }

  /** Gives positions to every transaction committed so far; one pass at a time on this namenode. Answers how many it ordered. */
  sequence(): Promise<number> {
    this.#sequencing ??= this.#sequenceAll().finally(() => (this.#sequencing = undefined));
    return this.#sequencing;
  }

  async #sequenceAll(): Promise<number> {
    const repo = this.#repo;
    if (!(await this.#runner.query('changeLog.pending', repo.hasUnsequenced()))) return 0;
    // Closing the epoch waits for every transaction committing in it: below the new epoch nothing can still appear.
    await this.#runner.mutate('changeLog.closeEpoch', [repo.bumpEpoch()]);
    const { epoch } = await this.#runner.query('changeLog.clocks', repo.findClocks());
    let total = 0;
    for (;;) {
      const n = await this.#runner.transaction('changeLog.sequence', async (tx) => {
        const [head, txns] = await tx.runAll([repo.findHeadForUpdate(), repo.findUnsequencedBefore(epoch, SEQUENCE_LIMIT)] as const);
        if (txns.length > 0) tx.changes.add(repo.assignPositions(txns, head + 1), repo.setClock('head', head + txns.length));
        return txns.length;
      });
      total += n;
      if (n < SEQUENCE_LIMIT) return total;
    }
  }

  /** The last position committed before `ms` (epoch milliseconds), if any is kept. */
  lastPositionBefore(ms: number): Promise<number | undefined> {
    return this.#runner.query('changeLog.age', this.#repo.findLastPositionBefore(ms));
  }

  /**
   * Drops every position up to `position`: first the `trimmed` clock (so
   * readers refuse older cursors before rows vanish), then the rows in
   * bounded deletes. Answers the rows removed.
   */
  async trimUpTo(position: number): Promise<number> {
    await this.#runner.mutate('changeLog.trim', [this.#repo.setClock('trimmed', position)]);
    let removed = 0;
    for (;;) {
      const [n = 0] = await this.#runner.mutate('changeLog.trim', [this.#repo.deleteUpTo(position, TRIM_BATCH)]);
      removed += n;
      if (n < TRIM_BATCH) return removed;
    }
  }

  clocks(): Promise<ChangeLogClocks> {
    return this.#runner.query('changeLog.clocks', this.#repo.findClocks());
  }

  /**
   * The committed batches after `cursor`, at most `maxPositions` of them,
   * after ordering what has committed. Positions are dense, so the answer
   * covers (cursor, cursor + n] with nothing missing; `upTo` is where the
   * next read starts.
   */
  async readAfter(cursor: number, maxPositions: number): Promise<{ batches: ChangeBatch[]; upTo: number; clocks: ChangeLogClocks }> {
    await this.sequence();
    const clocks = await this.clocks();
    if (cursor < clocks.trimmed) throw new ChangeLogTrimmed(`changes up to position ${clocks.trimmed} were trimmed; cursor ${cursor} is older`);
    const upTo = Math.min(clocks.head, cursor + maxPositions);
    if (upTo <= cursor) return { batches: [], upTo: cursor, clocks };
    const rows = await this.#runner.query('changeLog.read', this.#repo.findByPositionRange(cursor, upTo));
    const batches: ChangeBatch[] = [];
    for (const row of rows) {
      const last = batches[batches.length - 1];
      if (last && last.position === row.position) (last.events as ChangeBatch['events'][number][]).push(row.event);
      else batches.push({ position: row.position, events: [row.event] });
    }
    // A trim between reading the clocks and the rows would leave a hole at the start: the caller must start over.
    if (cursor < (await this.clocks()).trimmed) throw new ChangeLogTrimmed(`changes after position ${cursor} were trimmed while being read`);
    return { batches, upTo, clocks };
  }
}
