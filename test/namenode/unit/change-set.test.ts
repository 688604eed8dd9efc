import type { InodeRepository } from '../../../namenode/dal/inode-repository';
import { keyOf, type InodeKey, type InodeRow } from '../../../namenode/dal/inode-row';
import type { Mutation } from '../../../namenode/dal/query';
import type { InodeVersion, InodeVersionRepository } from '../../../namenode/dal/inode-version-repository';
import { ChangeSet } from '../../../namenode/tx/change-set';
import { MemoryTables } from '../../fakes/memory-tables';
import { memoryInodes } from '../../fakes/memory-inodes';
import { dirRow, fileRow } from '../../fakes/row-fixtures';
import { DuplicateKey } from '../../fakes/duplicate-key';

type Call = { op: 'insert'; rows: InodeRow[] } | { op: 'update'; before: InodeKey; after: InodeRow } | { op: 'delete'; keys: InodeKey[] };

/** An inode repository that records which writes a change set asks for. */
function recordingInodes(): { inodes: InodeRepository; calls: Call[] } {
  const calls: Call[] = [];
  const noop: Mutation = { kind: 'local', apply: () => ({ affected: 0, undo: () => undefined }) };
  const unused = () => {
    throw new Error('a change set only writes');
  };
  const inodes: InodeRepository = {
    findByPkBatched: unused,
    findByPkWithBlocksBatched: unused,
    findByIdBatched: unused,
    findAncestryById: unused,
    findChildrenByParent: unused,
    findChildPagesBatched: unused,
    findChildStatusPagesBatched: unused,
    findKeysAfter: unused,
    fillStatusBytes: unused,
    findSafeModeAndLockedBatched: unused,
    countChildrenByParentAfter: unused,
    hasChildrenByParent: unused,
    findChildrenByParentsBatched: unused,
    findParentsWithChildrenBatched: unused,
    setSubtreeLockById: unused,
    clearSubtreeLockById: unused,
    setLatestSnapshot: unused,
    insertBatched: (rows) => (calls.push({ op: 'insert', rows: [...rows] }), noop),
    updateByPk: (before, after) => (calls.push({ op: 'update', before, after }), noop),
    deleteByPkBatched: (keys) => (calls.push({ op: 'delete', keys: [...keys] }), noop),
    setHasQuota: unused,
    lockChildrenByParent: unused,
    touchDirectory: unused,
  };
  return { inodes, calls };
}

const a = dirRow(10, 1, 'a');
const f = fileRow(11, 10, 'f');

test('an insert then an update is one insert of the final row', () => {
  const { inodes, calls } = recordingInodes();
  const cs = new ChangeSet(inodes);
  cs.insert(f);
  cs.update(f, { ...f, length: 5 });
  cs.mutations();
  expect(calls).toEqual([{ op: 'insert', rows: [{ ...f, length: 5 }] }]);
});

test('repeated updates merge into one, keyed by the row as first locked', () => {
  const { inodes, calls } = recordingInodes();
  const cs = new ChangeSet(inodes);
  const renamed = { ...f, name: 'g' };
  cs.update(f, renamed);
  cs.update(renamed, { ...renamed, mtime: 9 });
  cs.mutations();
  expect(calls).toEqual([{ op: 'update', before: f, after: { ...renamed, mtime: 9 } }]);
});

test('an update then a delete deletes the original key', () => {
  const { inodes, calls } = recordingInodes();
  const cs = new ChangeSet(inodes);
  const moved = { ...f, parentId: 99, name: 'moved' };
  cs.update(f, moved);
  cs.delete(moved);
  cs.mutations();
  expect(calls).toEqual([{ op: 'delete', keys: [f] }]);
});

test('an insert then a delete vanishes', () => {
  const { inodes, calls } = recordingInodes();
  const cs = new ChangeSet(inodes);
  cs.insert(f);
  cs.delete(f);
  expect(cs.isEmpty).toBe(true);
  expect(cs.mutations()).toEqual([]);
  expect(calls).toEqual([]);
});

test('deletes come first, then updates, inserts, and the other tables in the order added', () => {
  const { inodes, calls } = recordingInodes();
  const cs = new ChangeSet(inodes);
  const extra1: Mutation = { kind: 'local', apply: () => ({ affected: 1, undo: () => undefined }) };
  const extra2: Mutation = { kind: 'local', apply: () => ({ affected: 2, undo: () => undefined }) };
  cs.add(extra1);
  cs.insert(fileRow(12, 10, 'new'));
  cs.update(a, { ...a, mtime: 5 });
  cs.delete(f);
  cs.add(extra2);
  const mutations = cs.mutations();
  expect(calls.map((c) => c.op)).toEqual(['delete', 'update', 'insert']);
  expect(mutations.slice(3)).toEqual([extra1, extra2]);
  expect(mutations).toHaveLength(5);
});

test('inserts and deletes travel 500 rows a statement', () => {
  const { inodes, calls } = recordingInodes();
  const cs = new ChangeSet(inodes);
  for (let i = 0; i < 1201; i++) cs.insert(fileRow(1000 + i, 10, `n${i}`));
  for (let i = 0; i < 501; i++) cs.delete(fileRow(5000 + i, 10, `d${i}`));
  cs.mutations();
  expect(calls.map((c) => (c.op === 'insert' ? c.rows.length : c.op === 'delete' ? -c.keys.length : 0))).toEqual([-500, -1, 500, 500, 201]);
});

test('an overwrite works because the delete frees the key before the insert takes it', () => {
  const t = new MemoryTables();
  const inodes = memoryInodes(t);
  t.inodes.insert(f);
  const cs = new ChangeSet(inodes);
  const replacement = fileRow(20, 10, 'f');
  cs.insert(replacement);
  cs.delete(f);
  for (const m of cs.mutations()) if (m.kind === 'local') m.apply();
  expect(t.inodes.rows()).toEqual([replacement]);
  // The other order would collide on the primary key, as it would in MySQL.
  t.inodes.delete(keyOf(f));
  t.inodes.insert(f);
  const insertFirst = inodes.insertBatched([fileRow(21, 10, 'f')]);
  expect(() => (insertFirst.kind === 'local' ? insertFirst.apply() : undefined)).toThrow(DuplicateKey);
});

/** A version repository that records the versions a change set writes. */
function recordingVersions(): { versions: InodeVersionRepository; written: InodeVersion[]; xattrCopies: Array<{ ids: number[]; at: number }> } {
  const written: InodeVersion[] = [];
  const xattrCopies: Array<{ ids: number[]; at: number }> = [];
  const noop: Mutation = { kind: 'local', apply: () => ({ affected: 0, undo: () => undefined }) };
  const unused = () => {
    throw new Error('a change set only writes');
  };
  return {
    versions: {
      insertBatched: (v) => (written.push(...v), noop), findByInodesFrom: unused, findInodeIdsByParentFrom: unused, findInodeIdsBetween: unused, findKeysNotIn: unused, deleteByKey: unused, rekey: unused, findInodesWithVersions: unused,
      copyXAttrs: (ids, at) => (xattrCopies.push({ ids: [...ids], at }), noop),
      findXAttrsOfVersions: unused,
      deleteXAttrsByKey: unused,
      rekeyXAttrs: unused,
    },
    written,
    xattrCopies,
  };
}

describe('the copy-on-write seam', () => {
  test('under a snapshot: a pre-image per changed row not yet covered, a tombstone per insert, rows stamped with the snapshot', () => {
    const { inodes, calls } = recordingInodes();
    const { versions, written, xattrCopies } = recordingVersions();
    const cs = new ChangeSet(inodes, versions);
    cs.coverSnapshot(7);
    const g = fileRow(12, 10, 'g');
    const covered = { ...fileRow(13, 10, 'h'), snapEpoch: 7 };
    cs.update(f, { ...f, permission: 0o600 });
    cs.delete(g);
    cs.update(covered, { ...covered, length: 9 });
    const created = fileRow(14, 10, 'new');
    cs.insert(created);
    expect(cs.keepsInSnapshot(g)).toBe(true);
    expect(cs.keepsInSnapshot(covered)).toBe(false);
    cs.mutations();
    expect(written).toEqual([
      { inodeId: 12, snapshotId: 7, row: g },
      { inodeId: 11, snapshotId: 7, row: f },
      { inodeId: 14, snapshotId: 7, row: undefined },
    ]);
    expect(calls).toContainEqual({ op: 'update', before: f, after: { ...f, permission: 0o600, snapEpoch: 7 } });
    expect(calls).toContainEqual({ op: 'update', before: covered, after: { ...covered, length: 9 } });
    expect(calls).toContainEqual({ op: 'insert', rows: [{ ...created, snapEpoch: 7 }] });
    // The kept rows' xattrs go with them (not the tombstone's: it had none).
    expect(xattrCopies).toEqual([{ ids: [12, 11], at: 7 }]);
  });

  test('an xattr change keeps the row as locked and stamps it; a covered row or an updated one is not kept twice', () => {
    const { inodes, calls } = recordingInodes();
    const { versions, written, xattrCopies } = recordingVersions();
    const cs = new ChangeSet(inodes, versions);
    cs.coverSnapshot(7);
    const covered = { ...fileRow(13, 10, 'h'), snapEpoch: 7 };
    cs.changeXAttrs(f);
    cs.changeXAttrs(covered);
    cs.changeXAttrs(a);
    cs.update(a, { ...a, permission: 0o700 });
    cs.mutations();
    expect(written).toEqual([
      { inodeId: 10, snapshotId: 7, row: a },
      { inodeId: 11, snapshotId: 7, row: f },
    ]);
    expect(xattrCopies).toEqual([{ ids: [10, 11], at: 7 }]);
    expect(calls).toEqual([
      { op: 'update', before: a, after: { ...a, permission: 0o700, snapEpoch: 7 } },
      { op: 'update', before: f, after: { ...f, snapEpoch: 7 } },
    ]);
  });

  test('outside any snapshot nothing is copied', () => {
    const { inodes } = recordingInodes();
    const { versions, written } = recordingVersions();
    const cs = new ChangeSet(inodes, versions);
    cs.update(f, { ...f, permission: 0o600 });
    cs.insert(fileRow(14, 10, 'new'));
    cs.mutations();
    expect(written).toEqual([]);
    expect(cs.underSnapshot).toBe(false);
  });
});
