import { InodeType } from '../../namenode/dal/inode-row';
import type { StatsRepository } from '../../namenode/dal/stats-repository';
import { localQuery } from './local-statements';
import type { MemoryTables } from './memory-tables';
import { allMigrations } from '../../schema/migrations/all-migrations';

export function memoryStats(t: MemoryTables): StatsRepository {
  const ofType = (type: InodeType) => t.inodes.rows().filter((i) => i.type === type).length;
  return {
    countNamespace: () =>
      localQuery(() => ({ files: ofType(InodeType.File), directories: ofType(InodeType.Directory), symlinks: ofType(InodeType.Symlink), blocks: t.blocks.rows().length })),
    countReplicasByDatanode: () =>
      localQuery(() => {
        const counts = new Map<string, number>();
        for (const r of t.replicas.rows()) counts.set(r.datanodeUuid, (counts.get(r.datanodeUuid) ?? 0) + 1);
        return counts;
      }),
    // The memory database is always at the newest schema.
    findSchemaVersion: () => localQuery(() => Math.max(...allMigrations.map((m) => m.version))),
  };
}
