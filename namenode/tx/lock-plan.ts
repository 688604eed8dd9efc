import type { LockMode } from '../dal/inode-repository';
import { isDirectory, keyOf, type InodeKey, type InodeRow } from '../dal/inode-row';
import type { HdfsPath } from '../path/hdfs-path';
import { StaleResolution } from './stale-resolution';
import { RowsByKey } from './rows-by-key';
import { ROOT_KEY, type Resolution } from './path-resolver';
import { isHinted, type HintedPath, type WriteResolution } from './hinted-path';

/**
 * What an operation needs locked on one path. Every existing ancestor is
 * share-locked (so no concurrent rename or delete can move the path away);
 * the parent and the target get the modes asked for. When the parent does
 * not exist yet (mkdirs -p, create with createParent) the deepest existing
 * ancestor takes the parent's mode, since that is where rows will be added.
 */
export interface LockSpec {
  readonly path: HdfsPath;
  readonly parent: LockMode;
  readonly target: LockMode;
  /**
   * False when a symlink as the final component is the operand itself
   * (delete, rename, createSymlink); by default the path must not end in
   * one. A symlink in any other component always stops the operation.
   */
  readonly followLink?: boolean;
  /**
   * The operation touches its parent directory (mtime, children) at
   * commit: create, mkdirs, delete, createSymlink, rename (whose parents
   * stay locked, so group-batches.ts counts no rewrite). Left unlocked ('none')
   * that touch takes its exclusive lock last; but where another path of the
   * same transaction share-locks that directory as an ancestor, the touch
   * would upgrade the share lock, and two transactions doing so deadlock:
   * planLocks locks such a directory exclusively up front instead.
   */
  readonly touchesParent?: boolean;
}

/** A path after the lock phase: rows as the locking reads returned them. */
export interface LockedPath {
  readonly path: HdfsPath;
  /** rows[0] is the root; one row per existing component. */
  readonly rows: readonly InodeRow[];
  readonly target: InodeRow | undefined;
  readonly parent: InodeRow | undefined;
  readonly throughFile: boolean;
}

interface PlannedRow {
  readonly key: InodeKey;
  /** A hinted target without a hint sorts after its depth's known ids. */
  readonly id: number;
  readonly depth: number;
  mode: LockMode;
}

// sharedSkipLocked is a cache miss's read, never planned here.
const rank: Record<LockMode, number> = { none: 0, shared: 1, sharedSkipLocked: 1, exclusive: 2 };

/**
 * A touched parent ('none': read without a lock, touched last at commit)
 * that does not exist yet puts the lock on the deepest existing ancestor,
 * where the new directories go, exclusively: two writes that make the
 * same missing directory (creates with createParent, mkdirs -p) then wait
 * for each other in the lock round trip, in the global order, and the
 * second sees the directory there (StaleResolution, resolved again),
 * instead of both inserting its row and the second failing on the
 * duplicate key with its group.
 */
function modeAt(spec: LockSpec, res: Resolution, depth: number): LockMode {
  const deepest = res.rows.length - 1;
  if (depth === deepest && depth < spec.path.components.length - 1 && !res.throughFile) return spec.parent === 'none' && spec.touchesParent === true ? 'exclusive' : spec.parent;
  return hintedModeAt(spec, depth);
}

/** The mode of component `depth` when every ancestor exists (always so for a hinted path: validation refuses one that does not). */
function hintedModeAt(spec: LockSpec, depth: number): LockMode {
  const n = spec.path.components.length;
  if (depth === n) return spec.target;
  if (depth === n - 1) return spec.parent;
  return 'shared';
}

const byKey = (a: InodeKey, b: InodeKey): number => a.parentId - b.parentId || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Component d's key for a hinted path: under the hinted id of its parent. */
const hintedKey = (h: HintedPath, d: number): InodeKey =>
  d === 0 ? ROOT_KEY : { parentId: h.ids[d - 1] as number, name: h.path.components[d - 1] as string };

/** Rows to read with one lock mode, in one statement. */
export interface LockGroup {
  readonly keys: readonly InodeKey[];
  readonly mode: LockMode;
}

/**
 * The locking reads for a set of resolved paths, in the global lock order
 * (depth, then inode id) so that two transactions never wait on each other
 * in a cycle; consecutive rows of one mode share a group (one statement).
 * The keys of the first missing component of each path are re-read after
 * the locks (unlocked), to see whether they appeared meanwhile.
 *
 * The root's row is always locked: it carries the fleet's safe mode, which
 * a path write reads under a lock (entering safe mode waits for it). A
 * write that would leave it unlocked as its parent (create, mkdirs, delete
 * or a block operation directly under /) locks it exclusively rather than
 * shared: the create's touch of its parent at commit would otherwise
 * upgrade a share lock that another such create also holds (a deadlock).
 */
export function planLocks(specs: readonly LockSpec[], resolutions: readonly WriteResolution[]): {
  groups: LockGroup[];
  missing: InodeKey[];
} {
  // By id, or by key for a hinted target whose id is not known.
  const planned = new Map<number | string, PlannedRow>();
  const plan = (key: InodeKey, id: number | undefined, depth: number, asked: LockMode) => {
    const mode = depth === 0 && asked === 'none' ? 'exclusive' : asked;
    const prev = planned.get(id ?? keyOf(key));
    if (!prev) planned.set(id ?? keyOf(key), { key, id: id ?? Number.MAX_SAFE_INTEGER, depth, mode });
    else if (rank[mode] > rank[prev.mode]) prev.mode = mode;
  };
  const missing = new Map<string, InodeKey>();
  /** The directories touched at commit, by planned key. */
  const touched: (number | string)[] = [];
  specs.forEach((spec, i) => {
    const res = resolutions[i] as WriteResolution;
    const n = spec.path.components.length;
    if (isHinted(res)) {
      // Every component by its hinted key; the target's row (when it exists) is read in its mode after every shallower lock.
      for (let d = 0; d <= n; d++) plan(hintedKey(res, d), res.ids[d], d, hintedModeAt(spec, d));
      if (spec.touchesParent && n > 0) touched.push(res.ids[n - 1] ?? keyOf(hintedKey(res, n - 1)));
      return;
    }
    res.rows.forEach((row, depth) => plan(row, row.id, depth, modeAt(spec, res, depth)));
    const k = res.rows.length - 1;
    if (spec.touchesParent && n > 0 && !res.throughFile) touched.push((res.rows[Math.min(k, n - 1)] as InodeRow).id);
    if (k < spec.path.components.length && !res.throughFile) {
      const key = { parentId: (res.rows[k] as InodeRow).id, name: spec.path.components[k] as string };
      missing.set(keyOf(key), key);
    }
  });
  // A touched directory another path passes through: exclusive now, not share-locked now and upgraded at commit.
  for (const key of touched) {
    const row = planned.get(key);
    if (row?.mode === 'shared') row.mode = 'exclusive';
  }
  // Unlocked reads go last: a row read without a lock (a busy parent directory) is then read only
  // once every lock is held, so it shows whatever a conflicting writer of the locked rows committed.
  // Hinted targets of unknown id (which tie) by key, so every namenode orders them alike.
  const ordered = [...planned.values()].sort((a, b) => Number(a.mode === 'none') - Number(b.mode === 'none') || a.depth - b.depth || a.id - b.id || byKey(a.key, b.key));
  const groups: LockGroup[] = [];
  let run: PlannedRow[] = [];
  const flush = () => {
    if (run.length > 0) groups.push({ keys: run.map((r) => r.key), mode: (run[0] as PlannedRow).mode });
    run = [];
  };
  for (const row of ordered) {
    if (run.length > 0 && (run[0] as PlannedRow).mode !== row.mode) flush();
    run.push(row);
  }
  flush();
  return { groups, missing: [...missing.values()] };
}

/**
 * Checks the locking reads against the resolutions: every resolved row must
 * still be where it was with the same id, and every missing key must still
 * be missing. Anything else means a concurrent change slipped in between
 * resolution and locking: StaleResolution, and the runner starts over.
 */
export function validateLocks(
  specs: readonly LockSpec[],
  resolutions: readonly WriteResolution[],
  /** Every row the locking reads (and the re-read of missing keys) returned; a group's members share one RowsByKey of them. */
  lockedRows: readonly InodeRow[] | RowsByKey,
): LockedPath[] {
  const fresh = lockedRows instanceof RowsByKey ? lockedRows : new RowsByKey(lockedRows);
  return specs.map((spec, i) => {
    const res = resolutions[i] as WriteResolution;
    if (isHinted(res)) return validateHinted(spec, res, fresh);
    const rows = res.rows.map((row) => {
      const now = fresh.get(row);
      if (!now || now.id !== row.id) throw new StaleResolution(spec.path.text);
      return now;
    });
    const k = rows.length - 1;
    const n = spec.path.components.length;
    if (k < n && !res.throughFile) {
      const key = { parentId: (rows[k] as InodeRow).id, name: spec.path.components[k] as string };
      if (fresh.has(key)) throw new StaleResolution(spec.path.text);
    }
    return {
      path: spec.path,
      rows,
      target: k === n ? rows[n] : undefined,
      parent: n > 0 && k >= n - 1 ? rows[n - 1] : undefined,
      throughFile: res.throughFile,
    };
  });
}

/**
 * A hinted path's rows as its locking reads found them. Every ancestor must
 * be there with its hinted id (a missing one would have needed the parent's
 * mode on the deepest existing ancestor) and so must a hinted target (the
 * declared reads named its id); an ancestor that is a file ends the path
 * there, as resolution does. An unhinted target may be missing: its key was
 * read after every lock above it was held, which is what the re-read of a
 * resolution's missing key checks.
 */
function validateHinted(spec: LockSpec, h: HintedPath, fresh: RowsByKey): LockedPath {
  const n = spec.path.components.length;
  const rows: InodeRow[] = [];
  let throughFile = false;
  for (let d = 0; d <= n; d++) {
    const row = fresh.get(hintedKey(h, d));
    const hint = h.ids[d];
    if (!row) {
      if (d < n || hint !== undefined) throw new StaleResolution(spec.path.text);
      break;
    }
    if (hint !== undefined && row.id !== hint) throw new StaleResolution(spec.path.text);
    rows.push(row);
    if (d < n && !isDirectory(row)) {
      throughFile = true;
      break;
    }
  }
  const k = rows.length - 1;
  return {
    path: spec.path,
    rows,
    target: k === n ? rows[n] : undefined,
    parent: n > 0 && k >= n - 1 ? rows[n - 1] : undefined,
    throughFile,
  };
}
