import type { ChangeLogRepository } from '../dal/change-log-repository';
import type { Mutation } from '../dal/query';
import type { ChangeSet } from '../tx/change-set';
import type { IdAllocator } from '../tx/id-allocator';
import type { LockedPath } from '../tx/lock-plan';
import type { ChangeRecorder } from '../tx/tx-contexts';
import { changeEventsOf } from './change-events-of';

/**
 * The transaction layer's seam into the change log: at commit, the events
 * a transaction's change set shows become rows sent last with its COMMIT,
 * so they are visible exactly when (and only if) it commits.
 */
export class ChangeLogWriter implements ChangeRecorder {
  readonly #ids: IdAllocator;
  readonly #repo: ChangeLogRepository;

  constructor(ids: IdAllocator, repo: ChangeLogRepository) {
    this.#ids = ids;
    this.#repo = repo;
  }

  async mutationsFor(changes: ChangeSet, locked: readonly LockedPath[], nowMs: number): Promise<Mutation[]> {
    const events = changeEventsOf(changes.inodeChanges(), locked);
    if (events.length === 0) return [];
    const txnId = await this.#ids.next();
    return events.map((e, seq) => this.#repo.append(txnId, seq, e, nowMs));
  }
}
