import type { InodeRow } from '../dal/inode-row';
import type { HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkTraverse } from '../security/permission-checker';
import { prefixText, resolutionTarget } from '../tx/path-resolver';
import type { ReadContext } from '../tx/transaction-runner';
import { checkNoLink } from '../tx/unresolved-link';

/** A read's target with the rows above it (root first), for what ancestors decide (storage policy). */
export interface ResolvedTarget {
  readonly target: InodeRow | undefined;
  readonly rows: readonly InodeRow[];
}

/**
 * The read operations' common first step: resolve `path` (coalesced, no
 * locks), check EXECUTE on every directory on the way, refuse a path
 * through a symlink (UnresolvedPathException, which the client resolves),
 * and answer the target — undefined when it does not exist or a file
 * stands in the way. `followLink` false lets the final component be a
 * link: the operation is about the link itself (getFileLinkInfo).
 */
export async function resolveTargetRows(r: ReadContext, caller: Caller, path: HdfsPath, followLink = true): Promise<ResolvedTarget> {
  const res = await r.resolve(path);
  checkTraverse(caller, res.rows, Math.min(res.rows.length, path.components.length), (d) => prefixText(path, d));
  checkNoLink(path, res.rows, followLink);
  return { target: res.throughFile ? undefined : resolutionTarget(res), rows: res.rows };
}

export async function resolveTarget(r: ReadContext, caller: Caller, path: HdfsPath, followLink = true): Promise<InodeRow | undefined> {
  return (await resolveTargetRows(r, caller, path, followLink)).target;
}
