import { ROOT_INODE_ID, ROOT_PARENT_ID } from '../../schema/tables';
import { keyOf, isDirectory, type InodeKey, type InodeRow } from '../dal/inode-row';
import type { HdfsPath } from '../path/hdfs-path';
import type { MetadataCache } from './metadata-cache';

/**
 * A path resolved against the database. `rows[0]` is the root and
 * `rows[i]` the i-th component; only existing components have rows, so
 * `rows.length - 1` components exist. Resolution stops early at a file
 * that has further components beneath it (`throughFile`).
 */
export interface Resolution {
  readonly path: HdfsPath;
  readonly rows: readonly InodeRow[];
  readonly throughFile: boolean;
}

export const resolutionTarget = (r: Resolution): InodeRow | undefined =>
  r.rows.length === r.path.components.length + 1 ? r.rows[r.rows.length - 1] : undefined;

export const ROOT_KEY: InodeKey = { parentId: ROOT_PARENT_ID, name: '' };

/** The text of the first `depth` components of a path (the cache key). */
export const prefixText = (p: HdfsPath, depth: number): string =>
  '/' + p.components.slice(0, depth).join('/');

/** `prefixText(p, d)` for every depth 1..n (index d - 1), each built from the one before: the last is `p.text`. */
export function prefixTexts(p: HdfsPath): string[] {
  const n = p.components.length;
  const out = new Array<string>(n);
  let text = '';
  for (let i = 0; i < n - 1; i++) out[i] = text = `${text}/${p.components[i] as string}`;
  if (n > 0) out[n - 1] = p.text;
  return out;
}

/** The rows of these keys, one per key in order; undefined where no row exists. */
export type Lookup = (keys: readonly InodeKey[]) => Promise<readonly (InodeRow | undefined)[]>;

/** A lookup's answer by keyOf, aligned to its keys (a coherent cache answers by key). */
export const alignedRows = (keys: readonly InodeKey[], byKey: ReadonlyMap<string, InodeRow>): (InodeRow | undefined)[] => keys.map((k) => byKey.get(keyOf(k)));

/**
 * Resolves a path with as few round trips as the hint cache allows: every
 * component whose parent id is known (cached, or the root) is fetched in one
 * batched lookup; the answer is validated (each row's id must equal its
 * hint); a stale hint is dropped and the walk goes on level by level from
 * the last row that validated, refilling the cache. `known`: the hints of
 * the path's prefixes when the caller has them already (hinted-path.ts).
 */
export async function resolvePath(path: HdfsPath, cache: MetadataCache, lookup: Lookup, known?: readonly (number | undefined)[]): Promise<Resolution> {
  const n = path.components.length;
  const hinted: number[] = [ROOT_INODE_ID];
  // Built once: the hint keys, and what the walk below writes back.
  const texts = prefixTexts(path);
  // The ancestors' hints: those the caller looked up already (`known`, index d - 1 for depth d), or the cache's.
  const hints = known && known.length >= n - 1 ? known.slice(0, Math.max(0, n - 1)) : n > 1 ? await cache.getBatch(texts.slice(0, n - 1)) : [];
  for (const id of hints) {
    if (id === undefined) break;
    hinted.push(id);
  }
  // Keys for components 0..hinted.length (one past the deepest hint).
  const keys: InodeKey[] = [ROOT_KEY];
  for (let d = 1; d <= Math.min(n, hinted.length); d++) {
    keys.push({ parentId: hinted[d - 1] as number, name: path.components[d - 1] as string });
  }
  const found = await lookup(keys);
  const rows: InodeRow[] = [];
  for (let d = 0; d < keys.length; d++) {
    const row = found[d];
    const expected = hinted[d];
    if (!row) {
      // Missing below a validated parent: truly absent. Missing root is not.
      if (d === 0) throw new Error('the root inode is missing: is the namespace formatted?');
      return { path, rows, throughFile: false };
    }
    if (expected !== undefined && row.id !== expected) {
      cache.invalidate([texts[d - 1] as string]);
      break;
    }
    rows.push(row);
    if (d < n && !isDirectory(row)) return { path, rows, throughFile: true };
    // A hint the row confirmed is there already (its lookup counted the hit).
    if (d > 0 && expected === undefined) cache.set(texts[d - 1] as string, row.id, isDirectory(row));
  }
  while (rows.length <= n) {
    const d = rows.length;
    const parent = rows[d - 1] as InodeRow;
    const key = { parentId: parent.id, name: path.components[d - 1] as string };
    const [row] = await lookup([key]);
    if (!row) return { path, rows, throughFile: false };
    rows.push(row);
    cache.set(texts[d - 1] as string, row.id, isDirectory(row));
    if (d < n && !isDirectory(row)) return { path, rows, throughFile: true };
  }
  return { path, rows, throughFile: false };
}
