import type { LockSpec } from './lock-plan';
import { isHinted, type WriteResolution } from './hinted-path';

/** A path as its components ([] is the root). */
type Components = readonly string[];

/**
 * Path operations that may share a transaction with others (group-commit.ts):
 * each changes the rows of its own paths (and touches their parents, rename
 * under exclusive locks; addBlock and
 * complete the rows of their file's blocks; delete removes what hangs off
 * its path's inodes) and takes no subtree lock; a delete or rename too
 * big for one transaction leaves its group with SubtreeTooBig and becomes
 * a subtree operation. A rename moves only what lies under its source,
 * which no other member of its batch reaches (partitionApart). Concat,
 * truncate, quota, snapshot and subtree operations always run alone.
 */
export const GROUPED_OPS: ReadonlySet<string> = new Set(['create', 'mkdirs', 'delete', 'rename', 'addBlock', 'complete', 'setTimes', 'setPermission', 'setOwner', 'setReplication']);

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
 * What a write may change: `reach` (reachOf), and `rewrites`, the
 * directories above its paths whose rows it rewrites whole from the image
 * its lock read (a parent locked exclusively and not declared touched).
 * Two members that rewrite one directory's row cannot share a transaction
 * (the second would write back the first's count from the same image,
 * losing its change); a touch of it (create's, delete's, rename's: a delta
 * applied last, on a row locked or not) can.
 */
export interface Footprint {
  readonly reach: readonly Components[];
  readonly rewrites: readonly Components[];
}

export function footprintOf(specs: readonly LockSpec[], resolutions: readonly WriteResolution[]): Footprint {
  // A parent locked and touched (a delta at commit) is no rewrite.
  const rewrites = specs.filter((s) => s.parent === 'exclusive' && s.touchesParent !== true && s.path.components.length > 0).map((s) => s.path.components.slice(0, -1));
  return { reach: reachOf(specs, resolutions), rewrites };
}

const sameDirectory = (a: readonly Components[], b: readonly Components[]): boolean =>
  a.some((p) => b.some((q) => p.length === q.length && p.every((c, i) => q[i] === c)));

const conflict = (a: Footprint, b: Footprint): boolean => overlaps(a.reach, b.reach) || sameDirectory(a.rewrites, b.rewrites);

/**
 * Splits members, in arrival order, into batches of at most `max` whose
 * footprints are pairwise apart: each member joins the first batch it
 * conflicts with no one in, so two operations on one path (two creates of
 * it, a mkdirs and a create beneath, two renames out of one directory)
 * land in successive batches, which run one after the other, in arrival
 * order.
 */
export function partitionApart<M>(members: readonly M[], footprint: (m: M) => Footprint, max: number): M[][] {
  const batches: { members: M[]; footprint: { reach: Components[]; rewrites: Components[] } }[] = [];
  for (const m of members) {
    const mine = footprint(m);
    // After the last batch it conflicts with (so it runs after the members it conflicts with), in the first with room.
    const after = batches.reduce((at, b, i) => (conflict(b.footprint, mine) ? i + 1 : at), 0);
    let home = batches.slice(after).find((b) => b.members.length < max);
    if (!home) {
      home = { members: [], footprint: { reach: [], rewrites: [] } };
      batches.push(home);
    }
    home.members.push(m);
    home.footprint.reach.push(...mine.reach);
    home.footprint.rewrites.push(...mine.rewrites);
  }
  return batches.map((b) => b.members);
}
