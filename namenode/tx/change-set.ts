import type { InodeRepository } from '../dal/inode-repository';
import type { InodeRow } from '../dal/inode-row';
import type { InodeVersion, InodeVersionRepository } from '../dal/inode-version-repository';
import type { Mutation } from '../dal/query';
import type { ChangeEvent } from '../domain/change-event';

const CHUNK = 500;

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export interface InodeChanges {
  readonly inserts: readonly InodeRow[];
  readonly updates: readonly { readonly before: InodeRow; readonly after: InodeRow }[];
  readonly deletes: readonly InodeRow[];
  readonly notes: readonly ChangeEvent[];
}

/**
 * The changes an operation made in memory, written at commit in as few
 * statements as possible: deletes first (an overwrite frees a key that an
 * insert or a rename then takes), then updates, inserts, and the other
 * tables' statements in the order they were added; last the statements
 * that lock shared counters (quota usage stripes, then busy directories'
 * rows), so those rows stay locked only while the transaction commits, and
 * always in that order.
 *
 * It is also the copy-on-write seam of snapshots (namenode/snapshot/README.md):
 * told the newest snapshot above the rows the transaction locked
 * (`coverSnapshot`), it writes the pre-image of every row it updates or
 * deletes whose state that snapshot does not cover yet, and a tombstone for
 * every row it inserts, so no operation has to know about snapshots.
 */
export class ChangeSet {
  readonly #inserts = new Map<number, InodeRow>();
  readonly #updates = new Map<number, { before: InodeRow; after: InodeRow }>();
  readonly #deletes = new Map<number, InodeRow>();
  /** Rows whose xattrs change while the row itself does not: a snapshot still keeps their pre-image. */
  readonly #xattrChanges = new Map<number, InodeRow>();
  readonly #notes: ChangeEvent[] = [];
  readonly #extra: Mutation[] = [];
  readonly #counters: Mutation[] = [];
  readonly #touches: Mutation[] = [];
  readonly #inodes: InodeRepository;
  readonly #versions: InodeVersionRepository | undefined;
  #snapshot = 0;

  constructor(inodes: InodeRepository, versions?: InodeVersionRepository) {
    this.#inodes = inodes;
    this.#versions = versions;
  }

  /** The newest snapshot id above the changed rows (0: none): their states before it are kept. */
  coverSnapshot(snapshotId: number): void {
    this.#snapshot = Math.max(this.#snapshot, snapshotId);
  }

  /** The newest snapshot id above the changed rows (0: none). */
  get snapshotId(): number {
    return this.#snapshot;
  }

  /** Whether the changed rows lie under a snapshottable directory that has snapshots. */
  get underSnapshot(): boolean {
    return this.#snapshot > 0;
  }

  /** Whether removing this row keeps it in a snapshot (its blocks must stay). */
  keepsInSnapshot(row: InodeRow): boolean {
    return this.#snapshot > 0 && (row.snapEpoch ?? 0) < this.#snapshot;
  }

  insert(row: InodeRow): void {
    this.#inserts.set(row.id, row);
  }

  /** `before` is the row as locked; repeated updates of one row merge. */
  update(before: InodeRow, after: InodeRow): void {
    const pending = this.#inserts.get(before.id);
    if (pending) {
      this.#inserts.set(before.id, after);
      return;
    }
    const prev = this.#updates.get(before.id);
    this.#updates.set(before.id, { before: prev ? prev.before : before, after });
  }

  delete(row: InodeRow): void {
    if (this.#inserts.delete(row.id)) return;
    const prev = this.#updates.get(row.id);
    this.#updates.delete(row.id);
    this.#deletes.set(row.id, prev ? prev.before : row);
  }

  /**
   * The row's xattrs change (setXAttr, removeXAttr) while the row does not:
   * under a snapshot its pre-image and its xattrs are kept as for an update.
   */
  changeXAttrs(row: InodeRow): void {
    if (!this.#inserts.has(row.id) && !this.#updates.has(row.id) && !this.#deletes.has(row.id)) this.#xattrChanges.set(row.id, row);
  }

  add(...mutations: readonly Mutation[]): void {
    this.#extra.push(...mutations);
  }

  /** A quota usage change: after every other table's statements. */
  addCounter(m: Mutation): void {
    this.#counters.push(m);
  }

  /** A directory's row touched without a lock (InodeRepository.touchDirectory): the very last statement. */
  addTouch(m: Mutation): void {
    this.#touches.push(m);
  }

  /** A change the inode rows do not show (an xattr's): the change log records it as it is. */
  note(event: ChangeEvent): void {
    this.#notes.push(event);
  }

  /** The inode rows this transaction inserts, updates (as locked, and after) and deletes, and its noted changes: what the change log derives its events from. */
  inodeChanges(): InodeChanges {
    return { inserts: [...this.#inserts.values()], updates: [...this.#updates.values()], deletes: [...this.#deletes.values()], notes: this.#notes };
  }

  /** Whether an existing inode row is updated or deleted (a snapshot above would keep its pre-image). */
  get rewritesRows(): boolean {
    return this.#updates.size + this.#deletes.size > 0;
  }

  /** Whether any inode row changed or an event was noted (what the change log derives from). */
  get hasInodeChanges(): boolean {
    return this.#inserts.size + this.#updates.size + this.#deletes.size + this.#notes.length > 0;
  }

  get isEmpty(): boolean {
    return this.#inserts.size + this.#updates.size + this.#deletes.size + this.#extra.length + this.#counters.length + this.#touches.length === 0;
  }

  mutations(): Mutation[] {
    const { rows, counters, touches } = this.mutationParts();
    return [...rows, ...counters, ...touches];
  }

  /**
   * `mutations()` in its three parts, for a group commit (group-commit.ts)
   * that sends every member's rows, then every member's counters, then
   * every touch, keeping the order across the group.
   */
  mutationParts(): { rows: Mutation[]; counters: Mutation[]; touches: Mutation[] } {
    const inodes = this.#inodes;
    const s = this.#snapshot;
    const versions: InodeVersion[] = [];
    const keep = (row: InodeRow): boolean => {
      if (!this.#versions || !this.keepsInSnapshot(row)) return false;
      versions.push({ inodeId: row.id, snapshotId: s, row });
      return true;
    };
    for (const row of this.#deletes.values()) keep(row);
    const xattrOnly = [...this.#xattrChanges.values()].filter((row) => !this.#updates.has(row.id) && !this.#deletes.has(row.id) && !this.#inserts.has(row.id));
    const updates = [
      ...[...this.#updates.values()].map((u) => (keep(u.before) ? { before: u.before, after: { ...u.after, snapEpoch: s } } : u)),
      ...xattrOnly.filter(keep).map((row) => ({ before: row, after: { ...row, snapEpoch: s } })),
    ];
    const inserts = [...this.#inserts.values()].map((row) => {
      if (!this.#versions || s === 0) return row;
      versions.push({ inodeId: row.id, snapshotId: s, row: undefined });
      return { ...row, snapEpoch: s };
    });
    const repo = this.#versions;
    // A kept row's xattrs go with it, copied before this transaction's xattr statements change them.
    const versionWrites = repo
      ? chunks(versions, CHUNK).flatMap((v) => {
          const kept = v.filter((x) => x.row !== undefined).map((x) => x.inodeId);
          return [repo.insertBatched(v), ...(kept.length > 0 ? [repo.copyXAttrs(kept, s)] : [])];
        })
      : [];
    const rows = [
      ...versionWrites,
      ...chunks([...this.#deletes.values()], CHUNK).map((keys) => inodes.deleteByPkBatched(keys)),
      ...updates.map((u) => inodes.updateByPk(u.before, u.after)),
      ...chunks(inserts, CHUNK).map((rows) => inodes.insertBatched(rows)),
      ...this.#extra,
    ];
    return { rows, counters: [...this.#counters], touches: [...this.#touches] };
  }
}
