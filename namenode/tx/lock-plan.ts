import type { LockMode } from '../dal/inode-repository';
import { keyOf, type InodeKey, type InodeRow } from '../dal/inode-row';
import type { HdfsPath } from '../path/hdfs-path';
import { StaleResolution } from './stale-resolution';
import type { Resolution } from './path-resolver';

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
  readonly id: number;
  readonly depth: number;
  mode: LockMode;
}

// sharedSkipLocked is a cache miss's read, never planned here.
const rank: Record<LockMode, number> = { none: 0, shared: 1, sharedSkipLocked: 1, exclusive: 2 };

function modeAt(spec: LockSpec, res: Resolution, depth: number): LockMode {
  const n = spec.path.components.length;
  const deepest = res.rows.length - 1;
  if (depth === n) return spec.target;
  if (depth === n - 1) return spec.parent;
  if (depth === deepest && !res.throughFile) return spec.parent;
  return 'shared';
}

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
 */
export function planLocks(specs: readonly LockSpec[], resolutions: readonly Resolution[]): {
  groups: LockGroup[];
  missing: InodeKey[];
} {
  const planned = new Map<number, PlannedRow>();
  const missing = new Map<string, InodeKey>();
  specs.forEach((spec, i) => {
    const res = resolutions[i] as Resolution;
    res.rows.forEach((row, depth) => {
      const mode = modeAt(spec, res, depth);
      const prev = planned.get(row.id);
      if (!prev) planned.set(row.id, { key: row, id: row.id, depth, mode });
      else if (rank[mode] > rank[prev.mode]) prev.mode = mode;
    });
    const k = res.rows.length - 1;
    if (k < spec.path.components.length && !res.throughFile) {
      const key = { parentId: (res.rows[k] as InodeRow).id, name: spec.path.components[k] as string };
      missing.set(keyOf(key), key);
    }
  });
  // Unlocked reads go last: a row read without a lock (a busy parent directory) is then read only
  // once every lock is held, so it shows whatever a conflicting writer of the locked rows committed.
  const ordered = [...planned.values()].sort((a, b) => Number(a.mode === 'none') - Number(b.mode === 'none') || a.depth - b.depth || a.id - b.id);
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
  resolutions: readonly Resolution[],
  /** Every row the locking reads (and the re-read of missing keys) returned. */
  lockedRows: readonly InodeRow[],
): LockedPath[] {
  const fresh = new Map<string, InodeRow>();
  for (const row of lockedRows) fresh.set(keyOf(row), row);
  return specs.map((spec, i) => {
    const res = resolutions[i] as Resolution;
    const rows = res.rows.map((row) => {
      const now = fresh.get(keyOf(row));
      if (!now || now.id !== row.id) throw new StaleResolution(spec.path.text);
      return now;
    });
    const k = rows.length - 1;
    const n = spec.path.components.length;
    if (k < n && !res.throughFile) {
      const key = { parentId: (rows[k] as InodeRow).id, name: spec.path.components[k] as string };
      if (fresh.has(keyOf(key))) throw new StaleResolution(spec.path.text);
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
