import type { HdfsPath } from '../path/hdfs-path';
import { ROOT_INODE_ID } from '../../schema/tables';
import type { InodeRow } from '../dal/inode-row';
import type { MetadataCache } from './metadata-cache';
import { prefixTexts, resolutionTarget, type Resolution } from './path-resolver';

/**
 * A write's path known from the hint cache alone, with no read before its
 * transaction: `ids[d]` is the hinted id of component d (`ids[0]` the
 * root), for every ancestor and, when hinted, the target. The lock round
 * trip reads (and locks) the rows of every component by these keys; the
 * validation then checks each ancestor's row against its hint, as it checks
 * a resolution's rows (lock-plan.ts), so a stale hint costs one attempt and
 * never a wrong answer: StaleResolution drops the path's hints and the next
 * attempt resolves it against the database.
 */
export interface HintedPath {
  readonly path: HdfsPath;
  readonly ids: readonly number[];
}

/** How a write's paths are known before its lock round trip: resolved (rows read), or hinted. */
export type WriteResolution = Resolution | HintedPath;

export const isHinted = (r: WriteResolution): r is HintedPath => 'ids' in r;

/** What a write's declared reads may know of its target before locking: its id. */
export interface TargetRef {
  readonly id: number;
}

/** The target as a write's declared reads see it: the resolved row, or the hinted id. */
export function writeTarget(r: WriteResolution): TargetRef | undefined {
  if (!isHinted(r)) return resolutionTarget(r);
  const id = r.ids[r.path.components.length];
  return id === undefined ? undefined : { id };
}

/** The rows a write's resolution read (none for a hinted path). */
export const resolvedRows = (r: WriteResolution): readonly InodeRow[] => (isHinted(r) ? [] : r.rows);

/**
 * The hint cache's ids for a write's path: every ancestor, and with
 * `needTarget` (a write whose declared reads name the target's id) the
 * target too; index d - 1 for depth d. Looked up once: a path they do not
 * cover is resolved with them (resolvePath's `known`).
 */
export async function pathHints(path: HdfsPath, cache: MetadataCache, needTarget: boolean): Promise<readonly (number | undefined)[]> {
  const n = path.components.length;
  const wanted = needTarget ? n : n - 1;
  return wanted > 0 ? cache.getBatch(prefixTexts(path).slice(0, wanted)) : [];
}

/** The path from its hints (pathHints) when they cover it; undefined otherwise, or for the root itself. */
export function hintedFrom(path: HdfsPath, hints: readonly (number | undefined)[], needTarget: boolean): HintedPath | undefined {
  const n = path.components.length;
  if (n === 0 || hints.length < (needTarget ? n : n - 1)) return undefined;
  const ids = [ROOT_INODE_ID];
  for (const id of hints) {
    if (id === undefined) return undefined;
    ids.push(id);
  }
  return { path, ids };
}
