import type { FsckRepository } from '../../namenode/dal/fsck-repository';
import { InodeType } from '../../namenode/dal/inode-row';
import { EMPTY_LEASE_IDLE_MS, EMPTY_LEASE_INVARIANT } from '../../namenode/dal/sql/fsck-sql';
import { localQuery } from './local-statements';
import { compositeKey } from './memory-table';
import type { MemoryTables } from './memory-tables';

type Violations = (t: MemoryTables) => Record<string, unknown>[];

/** The invariants of `fsck-sql.ts`, in its order, with its names and the columns each SELECT answers. */
const INVARIANTS: readonly { name: string; find: Violations }[] = [
  {
    name: 'inode whose parent is not a directory',
    find: (t) => {
      const byId = new Map(t.inodes.rows().map((i) => [i.id, i]));
      return t.inodes.rows().flatMap((c) => {
        const p = byId.get(c.parentId);
        return p && p.type !== InodeType.Directory ? [{ id: c.id, parent_id: c.parentId }] : [];
      });
    },
  },
  {
    name: 'block of a missing inode or of a non-file',
    find: (t) => {
      const present = new Set(t.inodes.rows().map((i) => i.id));
      const files = new Set(t.inodes.rows().filter((i) => i.type === InodeType.File).map((i) => i.id));
      // A file deleted while a snapshot held it: a file version of it owns its blocks.
      const held = new Set(t.inodeVersions.rows().filter((v) => v.row?.type === InodeType.File).map((v) => v.inodeId));
      return t.blocks.rows().flatMap((b) => (files.has(b.inodeId) || (!present.has(b.inodeId) && held.has(b.inodeId)) ? [] : [{ block_id: b.blockId, inode_id: b.inodeId }]));
    },
  },
  {
    name: 'replica of a missing block',
    find: (t) => {
      // A block a truncate left for a snapshot keeps its replicas.
      const blocks = new Set([...t.blocks.rows(), ...t.blockVersions.rows()].map((b) => compositeKey(b.inodeId, b.blockId)));
      return t.replicas.rows().flatMap((r) => (blocks.has(compositeKey(r.inodeId, r.blockId)) ? [] : [{ block_id: r.blockId, storage_id: r.storageId }]));
    },
  },
  {
    name: 'block version without a file version of its key',
    find: (t) => {
      const files = new Set(t.inodeVersions.rows().filter((v) => v.row?.type === InodeType.File).map((v) => compositeKey(v.inodeId, v.snapshotId)));
      return t.blockVersions.rows().flatMap((v) => (files.has(compositeKey(v.inodeId, v.snapshotId)) ? [] : [{ block_id: v.blockId, inode_id: v.inodeId, snapshot_id: v.snapshotId }]));
    },
  },
  {
    name: 'pipeline target of a missing block',
    find: (t) => {
      const blocks = new Set(t.blocks.rows().map((b) => compositeKey(b.inodeId, b.blockId)));
      return t.pipelineTargets.rows().flatMap((p) => (blocks.has(compositeKey(p.inodeId, p.blockId)) ? [] : [{ block_id: p.blockId }]));
    },
  },
  {
    name: 'xattr of a missing inode',
    find: (t) => {
      const ids = new Set(t.inodes.rows().map((i) => i.id));
      return t.xattrs.rows().flatMap((x) => (ids.has(x.inodeId) ? [] : [{ inode_id: x.inodeId }]));
    },
  },
  {
    name: 'lease path of a missing or closed file, or held by another holder',
    find: (t) => {
      const byId = new Map(t.inodes.rows().map((i) => [i.id, i]));
      return t.leasePaths.rows().flatMap((lp) => {
        const i = byId.get(lp.inodeId);
        return i && i.ucClient === lp.holder ? [] : [{ inode_id: lp.inodeId, holder: lp.holder }];
      });
    },
  },
  {
    name: 'file open for writing without a lease',
    find: (t) =>
      t.inodes.rows().flatMap((i) => {
        if (i.ucClient === null) return [];
        const leased = t.leasePaths.get(String(i.id)) !== undefined && t.leases.get(i.ucClient) !== undefined;
        return leased ? [] : [{ id: i.id, uc_client: i.ucClient }];
      }),
  },
  {
    name: EMPTY_LEASE_INVARIANT,
    find: (t) => {
      const holders = new Set(t.leasePaths.rows().map((p) => p.holder));
      const before = Date.now() - EMPTY_LEASE_IDLE_MS;
      return t.leases.rows().flatMap((l) => (holders.has(l.holder) || l.lastRenewed >= before ? [] : [{ holder: l.holder }]));
    },
  },
  {
    name: 'closed file whose length differs from its blocks',
    find: (t) =>
      t.inodes.rows().flatMap((i) => {
        if (i.type !== InodeType.File || i.ucClient !== null) return [];
        const blocksLength = t.blocks.rows().reduce((n, b) => n + (b.inodeId === i.id ? b.numBytes : 0), 0);
        return blocksLength === i.length ? [] : [{ id: i.id, length: i.length, blocks_length: blocksLength }];
      }),
  },
  {
    name: 'file whose block indexes are not 0..n-1',
    find: (t) => {
      const indexes = new Map<number, number[]>();
      for (const b of t.blocks.rows()) indexes.set(b.inodeId, [...(indexes.get(b.inodeId) ?? []), b.index]);
      return [...indexes].flatMap(([inodeId, list]) => {
        const top = Math.max(...list);
        return Math.min(...list) !== 0 || top !== list.length - 1 ? [{ inode_id: inodeId, n: list.length, top }] : [];
      });
    },
  },
  {
    name: 'directory whose child count differs from its children',
    find: (t) => {
      const actual = new Map<number, number>();
      for (const r of t.inodes.rows()) actual.set(r.parentId, (actual.get(r.parentId) ?? 0) + 1);
      return t.inodes
        .rows()
        .filter((d) => d.type === InodeType.Directory && d.children !== (actual.get(d.id) ?? 0))
        .map((d) => ({ id: d.id, children: d.children, actual: actual.get(d.id) ?? 0 }));
    },
  },
  {
    name: 'inode version of no snapshot, live or awaiting reclamation',
    find: (t) => {
      const ids = new Set(t.snapshots.rows().map((s) => s.snapshotId));
      return t.inodeVersions.rows().flatMap((v) => (ids.has(v.snapshotId) ? [] : [{ inode_id: v.inodeId, snapshot_id: v.snapshotId }]));
    },
  },
  {
    name: 'version xattr without its inode version',
    find: (t) =>
      t.inodeVersionXAttrs.rows().flatMap((x) => (t.inodeVersions.get(compositeKey(x.inodeId, x.snapshotId))?.row ? [] : [{ inode_id: x.inodeId, snapshot_id: x.snapshotId }])),
  },
  {
    name: 'file version longer than the blocks kept for it',
    find: (t) =>
      t.inodeVersions.rows().flatMap((v) => {
        if (v.row?.type !== InodeType.File) return [];
        const live = t.blocks.rows().reduce((n, b) => n + (b.inodeId === v.inodeId ? b.numBytes : 0), 0);
        const kept = t.blockVersions.rows().reduce((n, k) => n + (k.inodeId === v.inodeId && k.snapshotId >= v.snapshotId ? k.numBytes : 0), 0);
        const blocksLength = live + kept;
        return blocksLength < v.row.length ? [{ inode_id: v.inodeId, snapshot_id: v.snapshotId, length: v.row.length, blocks_length: blocksLength }] : [];
      }),
  },
  {
    name: 'live snapshot of a directory that is not snapshottable',
    find: (t) => t.snapshots.rows().flatMap((s) => (t.snapshottableDirs.get(String(s.dirId)) ? [] : [{ dir_id: s.dirId, snapshot_id: s.snapshotId }])),
  },
  {
    name: 'snapshottable directory whose latest_snapshot is not its newest live snapshot',
    find: (t) =>
      t.snapshottableDirs.rows().flatMap((d) => {
        const latest = t.inodes.rows().find((i) => i.id === d.dirId)?.latestSnapshot;
        const newest = Math.max(-1, ...t.snapshots.rows().filter((s) => s.dirId === d.dirId).map((s) => s.snapshotId));
        return latest === newest ? [] : [{ dir_id: d.dirId, latest_snapshot: latest ?? null, newest }];
      }),
  },
];

export const memoryFsck = (t: MemoryTables): FsckRepository => ({
  findInodeShapePage: (afterId, limit) =>
    localQuery(() =>
      t.inodes
        .rows()
        .filter((i) => i.id > afterId)
        .sort((a, b) => a.id - b.id)
        .slice(0, limit)
        .map((i) => ({ id: i.id, parentId: i.parentId })),
    ),
  countSnapshots: () =>
    localQuery(() => ({
      snapshottableDirs: t.snapshottableDirs.rows().length,
      withSnapshots: new Set(t.snapshots.rows().map((s) => s.dirId)).size,
      liveSnapshots: t.snapshots.rows().length,
      pendingReclamation: 0,
      inodeVersions: t.inodeVersions.rows().length,
    })),
  invariantChecks: (limit) => INVARIANTS.map((c) => ({ name: c.name, violations: localQuery(() => c.find(t).slice(0, limit)) })),
});
