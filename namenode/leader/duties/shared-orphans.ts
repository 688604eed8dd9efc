import type { OpContext } from '../../tx/op-context';

/** One object of the shared block store's container; `block` absent when its name is not a block's. */
export interface SharedObject {
  readonly name: string;
  readonly block?: { readonly blockId: number; readonly genStamp: number };
  /** When it was last written (ms since the epoch), from the store's listing. */
  readonly lastModifiedMs: number;
}

/**
 * What the orphan sweep needs of the shared block store (Swift): the
 * namenode has no Swift code of its own; `nnfleet namenode` plugs an
 * adapter over the datanode's Swift client in (cli/commands/).
 */
export interface SharedObjectStore {
  /** One page of the container after `marker` (names sorted); empty at the end. */
  listPage(marker: string): Promise<readonly SharedObject[]>;
  /** Removes an object (and an SLO's segments); one already gone is no error. */
  remove(name: string): Promise<void>;
}

export interface OrphanSweepOptions {
  /** An object younger than this is never removed: its upload may still be on its way to being referenced. */
  readonly graceMs: number;
  /** A full sweep starts at most this often. */
  readonly intervalMs: number;
  /** Pages (of the store's page size) looked at per housekeeping round, so one round stays short. */
  readonly pagesPerRound: number;
  /** Removals per round at most: a bounded rate on Swift. */
  readonly removalsPerRound: number;
}

export const ORPHAN_SWEEP_DEFAULTS: OrphanSweepOptions = { graceMs: 60 * 60_000, intervalMs: 10 * 60_000, pagesPerRound: 5, removalsPerRound: 200 };

/**
 * The leader's sweep of the shared block store: lists the container in
 * pages and removes every block object no block row references — a block
 * row with that id and that generation stamp. Such objects are left by
 * gateways killed before their queued deletes ran, by deletes that ran out
 * of retries, by a dead gateway's dropped invalidations, and by appends or
 * recoveries that died between uploading the new generation and retiring
 * the old. An object younger than `graceMs` stays (its block row may not
 * be there yet, or may not carry its new stamp yet). The position in the
 * listing is memory only: a new leader starts a new sweep, which is safe
 * because the decision is made per object from the rows.
 */
export class SharedOrphanSweeper {
  readonly #store: SharedObjectStore;
  readonly #opts: OrphanSweepOptions;
  /** Where the current sweep is in the listing; undefined between sweeps. */
  #marker: string | undefined;
  #lastStart = -Infinity;
  removed = 0;
  sweeps = 0;

  constructor(store: SharedObjectStore, opts: Partial<OrphanSweepOptions> = {}) {
    this.#store = store;
    this.#opts = { ...ORPHAN_SWEEP_DEFAULTS, ...opts };
  }

  /** One round's share of the sweep; returns how many objects it removed. */
  async round(ctx: OpContext, now: number): Promise<number> {
    if (this.#marker === undefined) {
      if (now - this.#lastStart < this.#opts.intervalMs) return 0;
      this.#lastStart = now;
      this.#marker = '';
    }
    let removed = 0;
    for (let p = 0; p < this.#opts.pagesPerRound; p++) {
      const page = await this.#store.listPage(this.#marker);
      if (page.length === 0) {
        this.#marker = undefined;
        this.sweeps++;
        break;
      }
      const orphans = await this.#orphans(ctx, page, now);
      const room = this.#opts.removalsPerRound - removed;
      for (const o of orphans.slice(0, room)) {
        await this.#store.remove(o.name);
        removed++;
      }
      if (orphans.length > room) break; // the rest of this page waits for the next round
      this.#marker = (page[page.length - 1] as SharedObject).name;
    }
    this.removed += removed;
    return removed;
  }

  async #orphans(ctx: OpContext, page: readonly SharedObject[], now: number): Promise<SharedObject[]> {
    const old = page.filter((o) => o.block !== undefined && now - o.lastModifiedMs >= this.#opts.graceMs);
    if (old.length === 0) return [];
    const rows = await ctx.runner.query('sharedOrphans', ctx.dal.blocks.findByIdBatched([...new Set(old.map((o) => o.block?.blockId ?? 0))]));
    const referenced = new Set(rows.map((b) => `${b.blockId}_${b.genStamp}`));
    return old.filter((o) => !referenced.has(`${o.block?.blockId}_${o.block?.genStamp}`));
  }
}
