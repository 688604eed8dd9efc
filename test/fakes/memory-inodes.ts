import type { InodeRepository } from '../../namenode/dal/inode-repository';
import { fileStatusOfRow } from '../../namenode/domain/file-status-of-row';
import { statusPartsOf } from '../../namenode/wire/status-parts';
import { keyOf, type InodeKey, type InodeRow } from '../../namenode/dal/inode-row';
import { deleteWhere, inList, insertRow, localMutation, localQuery } from './local-statements';
import type { MemoryTables } from './memory-tables';
import type { UndoLog } from './undo-log';
import { compareBytes } from './name-order';
import { memoryBlocks } from './memory-blocks';
import type { LocalQuery } from '../../namenode/dal/query';
import type { FileBlockRowSet } from '../../namenode/dal/block-repository';

/** InnoDB's clustered order: (parent_id, name bytes). */
const primaryKeyOrder = (a: InodeRow, b: InodeRow): number => a.parentId - b.parentId || compareBytes(a.name, b.name);

/** What the row's columns keep of an entity (a caller's object may carry more). */
const inodeColumns = (r: InodeRow): InodeRow => ({
  id: r.id,
  parentId: r.parentId,
  name: r.name,
  type: r.type,
  permission: r.permission,
  owner: r.owner,
  group: r.group,
  mtime: r.mtime,
  atime: r.atime,
  replication: r.replication,
  blockSize: r.blockSize,
  length: r.length,
  storagePolicy: r.storagePolicy,
  symlink: r.symlink,
  ucClient: r.ucClient,
  ucMachine: r.ucMachine,
  children: r.children,
  acl: r.acl,
  ...withLock(r.subtreeLockOwner ?? null),
  ...(r.hasQuota === true ? { hasQuota: true } : {}),
});

/** The subtree lock column, left out of the entity while NULL (as rows built in memory leave it). */
const withLock = (owner: number | null): Pick<InodeRow, 'subtreeLockOwner'> => (owner === null ? {} : { subtreeLockOwner: owner });

/** MariaDB's ER_BAD_NULL_ERROR, as a guarded statement raises it (see InodeRepository.touchDirectory). */
export const guardTripped = (column: string): Error => Object.assign(new Error(`Column '${column}' cannot be null`), { errno: 1048 });

/** Lock modes are accepted and ignored: MemoryDb runs one transaction at a time. */
export function memoryInodes(t: MemoryTables): InodeRepository {
  const table = t.inodes;
  const childrenAfter = (parentId: number, startAfter: string) =>
    table.rows().filter((r) => r.parentId === parentId && compareBytes(r.name, startAfter) > 0);
  const lockById = (id: number, holds: (r: InodeRow) => boolean, owner: number | null, log: UndoLog): number => {
    const row = table.rows().find((r) => r.id === id);
    if (!row || !holds(row)) return 0;
    const { subtreeLockOwner: _old, ...rest } = row;
    const undo = table.replace(keyOf(row), { ...rest, ...withLock(owner) });
    if (undo) log.add(undo);
    return undo ? 1 : 0;
  };
  return {
    findByPkBatched(keys) {
      if (keys.length === 0) throw new Error('findByPkBatched needs at least one key');
      const wanted = new Set(keys.map(keyOf));
      return localQuery(() => [...wanted].flatMap((k) => table.get(k) ?? []).sort(primaryKeyOrder));
    },
    findByPkWithBlocksBatched(keys) {
      if (keys.length === 0) throw new Error('findByPkWithBlocksBatched needs at least one key');
      const wanted = new Set(keys.map(keyOf));
      // The block fake's own one-file answer for each row, evaluated in this one statement.
      const rowSet = (inodeId: number) => (memoryBlocks(t).findFileRowSet(inodeId, false) as LocalQuery<FileBlockRowSet>).evaluate();
      return localQuery(() => {
        const rows = [...wanted].flatMap((k) => table.get(k) ?? []).sort(primaryKeyOrder);
        return { rows, files: new Map(rows.map((r) => [r.id, rowSet(r.id)])) };
      });
    },
    findByIdBatched(ids) {
      return localQuery(() => {
        const wanted = inList(ids, 'inodes.findByIdBatched');
        return table.rows().filter((r) => wanted.has(r.id)).sort(primaryKeyOrder);
      });
    },
    findAncestryById: (id, maxDepth) =>
      localQuery(() => {
        const byId = new Map(table.rows().map((r) => [r.id, r]));
        const chain: InodeRow[] = [];
        for (let r = byId.get(id); r && chain.length <= maxDepth; r = byId.get(r.parentId)) chain.push(r);
        return chain.reverse();
      }),
    findChildrenByParent: (parentId, startAfter, limit) =>
      localQuery(() => childrenAfter(parentId, startAfter).sort(primaryKeyOrder).slice(0, limit)),
    findSafeModeAndLockedBatched: (groups) =>
      localQuery(() => {
        const wanted = new Set(groups.flatMap((g) => g.keys.map(keyOf)));
        return { safeModeEnteredAt: t.namespaceInfo.get('1')?.safeModeEnteredAt ?? null, rows: [...wanted].flatMap((k) => table.get(k) ?? []).sort(primaryKeyOrder) };
      }),
    findChildPagesBatched: (pages, limit) => localQuery(() => pages.map((p) => childrenAfter(p.parentId, p.startAfter).sort(primaryKeyOrder).slice(0, limit))),
    // The memory rows keep no bytes: each child's are those its columns give, as every SQL write keeps them.
    findChildStatusPagesBatched: (pages, limit) =>
      localQuery(() =>
        pages.map((p) =>
          childrenAfter(p.parentId, p.startAfter)
            .sort(primaryKeyOrder)
            .slice(0, limit)
            .map((r) => ({ ...statusPartsOf(fileStatusOfRow(r, r.name)), mtime: r.mtime })),
        ),
      ),
    // Every memory row keeps its bytes (those its columns give): the walk finds none to fill.
    findKeysAfter: (after, limit) =>
      localQuery(() =>
        table
          .rows()
          .filter((r) => primaryKeyOrder(r, { ...r, parentId: after.parentId, name: after.name }) > 0)
          .sort(primaryKeyOrder)
          .slice(0, limit)
          .map((r) => ({ key: { parentId: r.parentId, name: r.name }, kept: true })),
      ),
    fillStatusBytes: () => localMutation(() => 0),
    countChildrenByParentAfter: (parentId, startAfter, cap) => localQuery(() => Math.min(cap, childrenAfter(parentId, startAfter).length)),
    hasChildrenByParent: (parentId) => localQuery(() => table.rows().some((r) => r.parentId === parentId)),
    findChildrenByParentsBatched(parentIds) {
      return localQuery(() => {
        const parents = inList(parentIds, 'inodes.findChildrenByParentsBatched');
        return table.rows().filter((r) => parents.has(r.parentId)).sort(primaryKeyOrder);
      });
    },
    findParentsWithChildrenBatched(parentIds) {
      return localQuery(() => {
        const parents = inList(parentIds, 'inodes.findParentsWithChildrenBatched');
        return [...new Set(table.rows().filter((r) => parents.has(r.parentId)).map((r) => r.parentId))];
      });
    },
    setSubtreeLockById: (r, owner) => localMutation((log) => lockById(r.id, () => true, owner, log)),
    clearSubtreeLockById: (ref, owner) => localMutation((log) => lockById(ref.id, (r) => r.subtreeLockOwner === owner, null, log)),
    insertBatched: (rows) =>
      localMutation((log) => {
        inList(rows, 'inodes.insertBatched');
        return rows.reduce((n, r) => n + insertRow(table, inodeColumns(r), log), 0);
      }),
    updateByPk: (oldKey: InodeKey, row) =>
      localMutation((log) => {
        // has_quota is not among the columns a full-row update writes.
        const undo = table.replace(keyOf(oldKey), { ...inodeColumns(row), ...(table.get(keyOf(oldKey))?.hasQuota === true ? { hasQuota: true } : {}) });
        if (!undo) return 0;
        log.add(undo);
        return 1;
      }),
    lockChildrenByParent: (parentId) => localQuery(() => table.rows().filter((r) => r.parentId === parentId).length),
    setLatestSnapshot: (ref, snapshotId) =>
      localMutation((log) => {
        const row = table.rows().find((r) => r.id === ref.id);
        if (!row) return 0;
        log.add(table.replace(keyOf(row), { ...row, latestSnapshot: snapshotId }) as () => void);
        return 1;
      }),
    setHasQuota: (ref, on) =>
      localMutation((log) => {
        const row = table.rows().find((r) => r.id === ref.id);
        if (!row) return 0;
        log.add(table.replace(keyOf(row), { ...row, hasQuota: on }) as () => void);
        return 1;
      }),
    touchDirectory: (ref, childDelta, mtime, maxItems, hasQuota) =>
      localMutation((log) => {
        const row = table.rows().find((r) => r.id === ref.id);
        if (!row) throw Object.assign(new Error('Subquery returns more than 1 row'), { errno: 1242 });
        if ((childDelta > 0 && row.children + childDelta > maxItems) || (row.hasQuota === true) !== hasQuota) throw guardTripped('children');
        log.add(table.replace(keyOf(row), { ...row, mtime: Math.max(row.mtime, mtime), children: Math.max(0, row.children + childDelta) }) as () => void);
        return 1;
      }),
    deleteByPkBatched: (keys) =>
      localMutation((log) => {
        const doomed = inList(keys.map(keyOf), 'inodes.deleteByPkBatched');
        return deleteWhere(table, (r) => doomed.has(keyOf(r)), log);
      }),
  };
}
