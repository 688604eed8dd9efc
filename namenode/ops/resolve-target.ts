import type { InodeRow } from '../dal/inode-row';
import type { HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkTraverse } from '../security/permission-checker';
import { prefixText, resolutionTarget } from '../tx/path-resolver';
import type { ReadContext } from '../tx/transaction-runner';

/**
 * The read operations' common first step: resolve `path` (coalesced, no
 * locks), check EXECUTE on every directory on the way, and answer the
 * target — undefined when it does not exist or a file stands in the way.
 */
export async function resolveTarget(r: ReadContext, caller: Caller, path: HdfsPath): Promise<InodeRow | undefined> {
  const res = await r.resolve(path);
  checkTraverse(caller, res.rows, Math.min(res.rows.length, path.components.length), (d) => prefixText(path, d));
  return res.throughFile ? undefined : resolutionTarget(res);
}
