import type { InodeRow } from '../dal/inode-row';
import { directoryTarget } from './resolve-target';
import type { SnapshotRow, SnapshottableDirRow } from '../dal/snapshot-repository';
import { snapshotError } from '../errors';
import type { HdfsPath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkOwner } from '../security/permission-checker';
import type { LockedPath } from '../tx/lock-plan';
import type { QueryRunner } from '../tx/tx-contexts';

/** A snapshottable directory with its live snapshots, by name. */
export interface SnapshottableRoot {
  readonly dir: InodeRow;
  readonly feature: SnapshottableDirRow;
  readonly snapshots: readonly SnapshotRow[];
}

/**
 * FSDirSnapshotOp's owner check, then SnapshotManager.getSnapshottableRoot:
 * the directory and its snapshots, locked when the call changes them.
 */
export async function snapshottableRoot(tx: QueryRunner, caller: Caller, lp: Pick<LockedPath, 'rows' | 'target'>, path: HdfsPath, lock: 'none' | 'exclusive', ownerOnly = true): Promise<SnapshottableRoot> {
  const dir = directoryTarget(caller, lp, path);
  if (ownerOnly) checkOwner(caller, dir, path.text);
  const { snapshots } = tx.dal;
  const [features, rows] = await tx.runAll([snapshots.findSnapshottableByDirsBatched([dir.id], lock), snapshots.findSnapshotsByDirsBatched([dir.id], lock)]);
  const feature = features[0];
  if (!feature) throw snapshotError(`Directory is not a snapshottable directory: ${path.text}`);
  return { dir, feature, snapshots: rows };
}
