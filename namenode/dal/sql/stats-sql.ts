import type { NamespaceTotals } from '../../domain/fleet-status';
import { InodeType } from '../inode-row';
import type { StatsRepository } from '../stats-repository';
import { sqlQuery } from '../query';
import { firstRow, num, rowsWith, text } from './sql-values';

export const sqlStats: StatsRepository = {
  countNamespace: () =>
    sqlQuery(
      {
        sql: `SELECT (SELECT COUNT(*) FROM inodes WHERE type = ?) AS files, (SELECT COUNT(*) FROM inodes WHERE type = ?) AS directories,
                     (SELECT COUNT(*) FROM inodes WHERE type = ?) AS symlinks, (SELECT COUNT(*) FROM blocks) AS blocks`,
        params: [InodeType.File, InodeType.Directory, InodeType.Symlink],
      },
      (result): NamespaceTotals => {
        const r = firstRow(result);
        return { files: num(r?.['files']), directories: num(r?.['directories']), symlinks: num(r?.['symlinks']), blocks: num(r?.['blocks']) };
      },
    ),
  countReplicasByDatanode: () =>
    sqlQuery({ sql: 'SELECT datanode_uuid, COUNT(*) AS n FROM replicas GROUP BY datanode_uuid', params: [] }, (result) =>
      new Map(rowsWith((r) => [text(r['datanode_uuid']), num(r['n'])] as const)(result)),
    ),
  findSchemaVersion: () => sqlQuery({ sql: 'SELECT MAX(version) AS v FROM schema_version', params: [] }, (r) => num(firstRow(r)?.['v'] ?? 0)),
};
