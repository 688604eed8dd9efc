import type { LockSpec } from './lock-plan';
import { isHinted, type WriteResolution } from './hinted-path';

/** A path as its components ([] is the root). */
type Components = readonly string[];

/**
 * Path operations that may share a transaction with others (group-commit.ts):
 * each changes the rows of its own path (and touches its parent; addBlock
 * and complete the rows of its file's blocks; delete removes what hangs
 * off its path's inodes), takes no subtree lock and moves nothing (a
 * delete too big for one transaction leaves its group with SubtreeTooBig
 * and becomes a subtree operation). Rename, concat, truncate,
 * quota, snapshot and subtree operations always run alone.
 */
export const GROUPED_OPS: ReadonlySet<string> = new Set(['create', 'mkdirs', 'delete', 'addBlock', 'complete', 'setTimes', 'setPermission', 'setOwner', 'setReplication']);

/** Whether a is b, or an ancestor or descendant of it: operations on them may touch the same rows. */
export function pathsOverlap(a: Components, b: Components): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.every((c, i) => long[i] === c);
}

const overlaps = (a: readonly Components[], b: readonly Components[]): boolean => a.some((p) => b.some((q) => pathsOverlap(p, q)));

/**
 * What a write may change, as paths: each path up to its first missing
 * component (a create or mkdirs with parents creates from there on, so
 * another write beneath that component, or of it, overlaps it).
 */
export function reachOf(specs: readonly LockSpec[], resolutions: readonly WriteResolution[]): Components[] {
  // A hinted path reaches as far as it may exist: all of it.
  return specs.map((s, i) => {
    const r = resolutions[i] as WriteResolution;
    return isHinted(r) ? s.path.components : s.path.components.slice(0, r.rows.length);
  });
}

/**
 * Splits members, in arrival order, into batches of at most `max` whose
 * paths are pairwise apart: each member joins the first batch it overlaps
 * with no one in, so two operations on one path (two creates of it, a
 * mkdirs and a create beneath) land in successive batches, which run one
 * after the other, in arrival order.
 */
export function partitionApart<M>(members: readonly M[], pathsOf: (m: M) => readonly Components[], max: number): M[][] {
  const batches: { members: M[]; paths: Components[] }[] = [];
  for (const m of members) {
    const paths = pathsOf(m);
    // After the last batch it overlaps (so it runs after the members it conflicts with), in the first with room.
    const after = batches.reduce((at, b, i) => (overlaps(b.paths, paths) ? i + 1 : at), 0);
    let home = batches.slice(after).find((b) => b.members.length < max);
    if (!home) {
      home = { members: [], paths: [] };
      batches.push(home);
    }
    home.members.push(m);
    home.paths.push(...paths);
  }
  return batches.map((b) => b.members);
}
