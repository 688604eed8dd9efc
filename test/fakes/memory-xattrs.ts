import { keyOf } from '../../namenode/dal/inode-row';
import type { XAttrRepository } from '../../namenode/dal/xattr-repository';
import { deleteWhere, inList, localMutation, localQuery, upsertRow } from './local-statements';
import type { MemoryTables } from './memory-tables';
import { compareBytes } from './name-order';

export function memoryXAttrs(t: MemoryTables): XAttrRepository {
  const table = t.xattrs;
  const ofInode = (inodeId: number) =>
    table
      .rows()
      .filter((x) => x.inodeId === inodeId)
      .sort((a, b) => a.namespace - b.namespace || compareBytes(a.name, b.name));
  return {
    findByInodesBatched: (inodeIds) =>
      localQuery(() => {
        const wanted = inList(inodeIds, 'xattrs.findByInodesBatched');
        return table
          .rows()
          .filter((x) => wanted.has(x.inodeId))
          .sort((a, b) => a.inodeId - b.inodeId || a.namespace - b.namespace || compareBytes(a.name, b.name));
      }),
    findByInodeOnPath: (chain, inodeId) => localQuery(() => (chain.every((k) => t.inodes.get(keyOf(k))?.id === k.id) ? ofInode(inodeId) : undefined)),
    findByInode: (inodeId) => localQuery(() => ofInode(inodeId)),
    upsert: (x) =>
      localMutation((log) => upsertRow(table, { inodeId: x.inodeId, namespace: x.namespace, name: x.name, value: x.value }, (old) => ({ ...old, value: x.value }), log)),
    deleteByPk: (x) => localMutation((log) => deleteWhere(table, (r) => r.inodeId === x.inodeId && r.namespace === x.namespace && r.name === x.name, log)),
    deleteByInodesBatched: (ids) =>
      localMutation((log) => {
        const doomed = inList(ids, 'xattrs.deleteByInodesBatched');
        return deleteWhere(table, (r) => doomed.has(r.inodeId), log);
      }),
  };
}
