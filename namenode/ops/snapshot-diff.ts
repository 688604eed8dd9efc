import { isDirectory, type InodeRow } from '../dal/inode-row';
import { snapshotError } from '../errors';
import { parsePath } from '../path/hdfs-path';
import type { Caller } from '../security/caller';
import { checkAccess, FsAction } from '../security/permission-checker';
import type { OpContext } from '../tx/op-context';
import type { QueryRunner } from '../tx/tx-contexts';
import { resolveTargetRows } from './resolve-target';
import { statesAt } from './snapshot-view';
import { snapshottableRoot } from './snapshottable-target';

/** SnapshotDiffReport.DiffType's labels. */
export type DiffLabel = 'M' | '+' | '-' | 'R';

/** One DiffReportEntry: paths relative to the snapshot root ('' is the root itself), `target` for a rename. */
export interface DiffEntry {
  readonly label: DiffLabel;
  readonly source: string;
  readonly target?: string;
}

/** The current tree, as a snapshot id later than every snapshot. */
const NOW = Number.MAX_SAFE_INTEGER;

/** What a snapshot diff compares of a row (HDFS's metadata and content; not access time nor snapshot bookkeeping). */
const shape = (x: InodeRow, isRoot: boolean) =>
  JSON.stringify([x.permission, x.owner, x.group, isRoot ? 0 : x.mtime, x.replication, x.length, x.storagePolicy, x.symlink, x.acl]);

/**
 * Each inode's path below the root in snapshot `s` (undefined: not beneath
 * it), walking parents one batched level at a time, as that snapshot saw them.
 */
async function pathsAt(r: QueryRunner, rootId: number, states: ReadonlyMap<number, InodeRow | undefined>, s: number): Promise<Map<number, string | undefined>> {
  const known = new Map<number, InodeRow | undefined>(states);
  const chains = new Map<number, string[]>();
  const heads = new Map<number, number>(); // inode -> the ancestor its walk has reached
  const out = new Map<number, string | undefined>();
  for (const [id, row] of states) {
    if (id === rootId) out.set(id, '');
    else if (!row) out.set(id, undefined);
    else {
      chains.set(id, [row.name]);
      heads.set(id, row.parentId);
    }
  }
  while (heads.size > 0) {
    const unknown = [...new Set([...heads.values()].filter((p) => p !== rootId && !known.has(p)))];
    for (const [id, row] of await statesAt(r, unknown, s, new Map())) known.set(id, row);
    for (const [id, head] of [...heads]) {
      if (head === rootId) {
        out.set(id, (chains.get(id) ?? []).reverse().join('/'));
        heads.delete(id);
        continue;
      }
      const parent = known.get(head);
      if (!parent || parent.id === parent.parentId) {
        out.set(id, undefined);
        heads.delete(id);
        continue;
      }
      chains.get(id)?.push(parent.name);
      heads.set(id, parent.parentId);
    }
  }
  return out;
}

/**
 * The changes between the earlier snapshot `a` and the later `b` (NOW: the
 * current tree), from the inodes with a version in `[a, b)` — the cost
 * follows the changes, not the tree (namenode/snapshot/README.md).
 */
async function diffBetween(r: QueryRunner, root: InodeRow, a: number, b: number): Promise<DiffEntry[]> {
  const ids = await r.run(r.dal.inodeVersions.findInodeIdsBetween(a, b === NOW ? undefined : b));
  const [atA, atB] = await Promise.all([statesAt(r, ids, a, new Map()), statesAt(r, ids, b, new Map())]);
  const [pathA, pathB] = await Promise.all([pathsAt(r, root.id, atA, a), pathsAt(r, root.id, atB, b)]);
  // A created or deleted entry is reported once, at the top of what appeared or went: not beneath another such entry.
  const created = new Set(ids.filter((id) => pathA.get(id) === undefined && pathB.get(id) !== undefined));
  const deleted = new Set(ids.filter((id) => pathA.get(id) !== undefined && pathB.get(id) === undefined));
  const out: DiffEntry[] = [];
  for (const id of ids) {
    const [x, y, pa, pb] = [atA.get(id), atB.get(id), pathA.get(id), pathB.get(id)];
    if (created.has(id)) {
      if (y && !created.has(y.parentId)) out.push({ label: '+', source: pb ?? '' });
    } else if (deleted.has(id)) {
      if (x && !deleted.has(x.parentId)) out.push({ label: '-', source: pa ?? '' });
    } else if (x && y && pa !== undefined && pb !== undefined) {
      if (shape(x, id === root.id) !== shape(y, id === root.id) || (isDirectory(x) && x.children !== y.children)) out.push({ label: 'M', source: pa });
      if (pa !== pb) out.push({ label: 'R', source: pa, target: pb });
    }
  }
  // A directory whose children changed is modified even when its own row was not copied (a rename keeps the count).
  const reported = new Set(out.filter((e) => e.label === 'M').map((e) => e.source));
  for (const e of [...out]) {
    const parents = e.label === 'R' ? [e.source, e.target ?? ''] : [e.source];
    for (const p of parents) {
      if (e.label === 'M') continue;
      const dir = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
      if (!reported.has(dir)) {
        reported.add(dir);
        out.push({ label: 'M', source: dir });
      }
    }
  }
  const order: Record<DiffLabel, number> = { M: 0, '+': 1, '-': 2, R: 3 };
  return out.sort((p, q) => Buffer.compare(Buffer.from(p.source), Buffer.from(q.source)) || order[p.label] - order[q.label]);
}

/** The reverse of a diff: what a later-to-earlier report says (SnapshotDiffInfo with isFromEarlier false). */
const reversed = (entries: readonly DiffEntry[]): DiffEntry[] =>
  entries.map((e) => (e.label === '+' ? { ...e, label: '-' } : e.label === '-' ? { ...e, label: '+' } : e.label === 'R' ? { label: 'R', source: e.target ?? '', target: e.source } : e));

/**
 * FSDirSnapshotOp.getSnapshotDiffReport: the changes from snapshot `from`
 * to `to` of a snapshottable directory; an empty name is the current tree.
 */
export async function getSnapshotDiffReport(ctx: OpContext, caller: Caller, root: string, from: string, to: string): Promise<{ entries: DiffEntry[]; isFromEarlier: boolean }> {
  const path = parsePath(root);
  return ctx.runner.read('getSnapshotDiffReport', async (r) => {
    const resolved = await resolveTargetRows(r, caller, path);
    if (resolved.target) checkAccess(caller, resolved.target, FsAction.READ, path.text);
    const { dir, snapshots } = await snapshottableRoot(r, caller, resolved, path, 'none', false);
    if (!from && !to) return { entries: [], isFromEarlier: true };
    const idOf = (name: string) => {
      if (!name) return NOW;
      const s = snapshots.find((x) => x.name === name);
      if (!s) throw snapshotError(`Cannot find the snapshot of directory ${path.text} with name ${name}`);
      return s.snapshotId;
    };
    const [f, t] = [idOf(from), idOf(to)];
    if (f === t) return { entries: [], isFromEarlier: true };
    const entries = await diffBetween(r, dir, Math.min(f, t), Math.max(f, t));
    return f < t ? { entries, isFromEarlier: true } : { entries: reversed(entries), isFromEarlier: false };
  });
}
