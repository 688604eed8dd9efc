import { ROOT_INODE_ID, ROOT_PARENT_ID } from '../../schema/tables';
import type { DbSession } from '../dal/db-session';
import type { FsckRepository, SnapshotCounts } from '../dal/fsck-repository';

export interface FsckProblem {
  readonly invariant: string;
  /** The offending rows, at most the sample limit. */
  readonly sample: readonly Record<string, unknown>[];
}

export interface FsckReport {
  readonly inodes: number;
  readonly reachable: number;
  readonly problems: readonly FsckProblem[];
  readonly healthy: boolean;
  /** Snapshottable directories, snapshots and the versions they hold. */
  readonly snapshots: SnapshotCounts;
}

const PAGE = 50_000;

/**
 * Checks the namespace's invariants straight on the tables: every inode is
 * reachable from the root exactly once (the primary key gives every row one
 * parent, so a row the walk misses is an orphan or sits on a cycle), every
 * parent is a directory, every block belongs to a file, no replica or
 * pipeline row outlives its block, leases match the files open for writing,
 * and closed files are as long as their blocks. Snapshots: every inode
 * version is of a snapshot that is live or awaiting the reclaimer, the
 * xattrs a version carries belong to one, a file version's blocks are still
 * there, and each snapshottable directory's row names its newest snapshot.
 */
export async function fsck(db: DbSession, repo: FsckRepository, sampleLimit = 20): Promise<FsckReport> {
  const children = new Map<number, number[]>();
  let total = 0;
  let rootSeen = false;
  for (let after = 0; ; ) {
    const rows = await db.run(repo.findInodeShapePage(after, PAGE));
    for (const { id, parentId: parent } of rows) {
      total++;
      if (id === ROOT_INODE_ID && parent === ROOT_PARENT_ID) {
        rootSeen = true;
        continue;
      }
      const list = children.get(parent) ?? [];
      list.push(id);
      children.set(parent, list);
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]?.id ?? after;
  }
  const problems: FsckProblem[] = [];
  const seen = new Set<number>();
  const stack = rootSeen ? [ROOT_INODE_ID] : [];
  while (stack.length > 0) {
    const id = stack.pop() as number;
    if (seen.has(id)) {
      problems.push({ invariant: 'inode reachable twice', sample: [{ id }] });
      continue;
    }
    seen.add(id);
    for (const c of children.get(id) ?? []) stack.push(c);
  }
  if (!rootSeen) problems.push({ invariant: 'root inode missing', sample: [] });
  if (seen.size !== total) {
    const unreachable: Record<string, unknown>[] = [];
    for (const [parent, ids] of children) {
      for (const id of ids) if (!seen.has(id) && unreachable.length < sampleLimit) unreachable.push({ id, parent_id: parent });
    }
    problems.push({ invariant: `inodes not reachable from the root (${total - seen.size})`, sample: unreachable });
  }
  for (const check of repo.invariantChecks(sampleLimit)) {
    const rows = await db.run(check.violations);
    if (rows.length > 0) problems.push({ invariant: check.name, sample: rows });
  }
  const snapshots = await db.run(repo.countSnapshots());
  return { inodes: total, reachable: seen.size, problems, healthy: problems.length === 0, snapshots };
}
