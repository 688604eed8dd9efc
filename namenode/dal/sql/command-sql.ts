import { CommandKind, type CommandRepository } from '../command-repository';
import { sqlMutation, sqlQuery } from '../query';
import { num, rowsWith, text } from './sql-values';

export const sqlCommands: CommandRepository = {
  insert: (c, now) =>
    sqlMutation({
      sql: `INSERT INTO datanode_commands (datanode_uuid, block_id, kind, generation_stamp, num_bytes, targets, created_at) VALUES (?,?,?,?,?,?,?)
            ON DUPLICATE KEY UPDATE generation_stamp = VALUES(generation_stamp), num_bytes = VALUES(num_bytes), targets = VALUES(targets), created_at = VALUES(created_at)`,
      params: [c.datanodeUuid, c.blockId, c.kind, c.genStamp, c.numBytes, c.targets.join(','), now],
    }),
  findByDatanodeForUpdate: (uuid, limit) =>
    sqlQuery(
      {
        sql: 'SELECT datanode_uuid, block_id, kind, generation_stamp, num_bytes, targets FROM datanode_commands WHERE datanode_uuid = ? ORDER BY created_at LIMIT ? FOR UPDATE',
        params: [uuid, limit],
      },
      rowsWith((r) => ({
        datanodeUuid: text(r['datanode_uuid']),
        blockId: num(r['block_id']),
        kind: num(r['kind']) as CommandKind,
        genStamp: num(r['generation_stamp']),
        numBytes: num(r['num_bytes']),
        targets: text(r['targets']).split(',').filter(Boolean),
      })),
    ),
  deleteByPkBatched: (uuid, keys) =>
    sqlMutation({
      sql: `DELETE FROM datanode_commands WHERE datanode_uuid = ? AND (${keys.map(() => '(block_id = ? AND kind = ?)').join(' OR ')})`,
      params: [uuid, ...keys.flatMap((k) => [k.blockId, k.kind])],
    }),
};
