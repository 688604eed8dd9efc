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

/**
 * The text of the first `depth` components of a path (the cache key): a
 * slice of `p.text` (which is '/' + the components joined by '/') up to the
 * slash that ends them, so no array or join per call.
 */
export const prefixText = (p: HdfsPath, depth: number): string => {
  if (depth <= 0) return '/';
  if (depth >= p.components.length) return p.text;
  let at = 0;
  for (let d = 0; d < depth; d++) at = p.text.indexOf('/', at + 1);
  return p.text.slice(0, at);
};

/** prefixText for depths 1..upTo, in one scan of the text. */
function prefixTexts(p: HdfsPath, upTo: number): string[] {
  const out: string[] = [];
  let at = 0;
  for (let d = 1; d <= upTo; d++) {
    if (d >= p.components.length) {
      out.push(p.text);
      continue;
    }
    at = p.text.indexOf('/', at + 1);
    out.push(p.text.slice(0, at));
  }
  return out;
}

export type Lookup = (keys: readonly InodeKey[]) => Promise<Map<string, InodeRow>>;

/**
 * Resolves a path with as few round trips as the hint cache allows: every
 * component whose parent id is known (cached, or the root) is fetched in one
 * batched lookup; the answer is validated (each row's id must equal its
 * hint); a stale hint is dropped and the walk goes on level by level from
 * the last row that validated, refilling the cache.
 */
export async function resolvePath(path: HdfsPath, cache: MetadataCache, lookup: Lookup): Promise<Resolution> {
  const n = path.components.length;
  const hinted: number[] = [ROOT_INODE_ID];
  // Depths 1..n: the hints are asked for 1..n-1, depth n is the key a found target is remembered under.
  const prefixes = prefixTexts(path, n);
  const hints = n > 1 ? await cache.getBatch(prefixes.slice(0, n - 1)) : [];
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
    const row = found.get(keyOf(keys[d] as InodeKey));
    const expected = hinted[d];
    if (!row) {
      // Missing below a validated parent: truly absent. Missing root is not.
      if (d === 0) throw new Error('the root inode is missing: is the namespace formatted?');
      return { path, rows, throughFile: false };
    }
    if (expected !== undefined && row.id !== expected) {
      cache.invalidate([d === 0 ? '/' : (prefixes[d - 1] as string)]);
      break;
    }
    rows.push(row);
    if (d < n && !isDirectory(row)) return { path, rows, throughFile: true };
    if (d > 0) cache.set(prefixes[d - 1] as string, row.id);
  }
  while (rows.length <= n) {
    const d = rows.length;
    const parent = rows[d - 1] as InodeRow;
    const key = { parentId: parent.id, name: path.components[d - 1] as string };
    const row = (await lookup([key])).get(keyOf(key));
    if (!row) return { path, rows, throughFile: false };
    rows.push(row);
    cache.set(prefixes[d - 1] as string, row.id);
    if (d < n && !isDirectory(row)) return { path, rows, throughFile: true };
  }
  return { path, rows, throughFile: false };
}
