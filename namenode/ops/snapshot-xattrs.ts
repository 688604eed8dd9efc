import type { XAttrRow } from '../dal/xattr-repository';
import type { QueryRunner } from '../tx/tx-contexts';

/**
 * Each inode's xattrs in snapshot `s` (undefined: the current tree), by the
 * one rule of namenode/snapshot/README.md: the xattr rows its version with
 * the smallest id at or after `s` carries (none for a tombstone), else its
 * current `xattrs` rows. One version read and two xattr reads for any
 * number of inodes.
 */
export async function xattrsAt(r: QueryRunner, ids: readonly number[], s: number | undefined): Promise<Map<number, XAttrRow[]>> {
  const out = new Map<number, XAttrRow[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const versionOf = new Map<number, number>();
  if (s !== undefined) for (const v of await r.run(r.dal.inodeVersions.findByInodesFrom(ids, s))) if (!versionOf.has(v.inodeId)) versionOf.set(v.inodeId, v.snapshotId);
  const keys = [...versionOf].map(([inodeId, snapshotId]) => ({ inodeId, snapshotId }));
  const current = ids.filter((id) => !versionOf.has(id));
  const rows = [
    ...(keys.length === 0 ? [] : await r.run(r.dal.inodeVersions.findXAttrsOfVersions(keys))).map(({ snapshotId: _, ...x }) => x),
    ...(current.length === 0 ? [] : await r.run(r.dal.xattrs.findByInodesBatched(current))),
  ];
  for (const x of rows) out.get(x.inodeId)?.push(x);
  return out;
}

/** What a diff compares of an inode's xattrs: equal sets answer equal strings. */
export const xattrShape = (rows: readonly XAttrRow[] | undefined): string =>
  JSON.stringify((rows ?? []).map((x) => [x.namespace, x.name, x.value?.toString('hex') ?? null]));
