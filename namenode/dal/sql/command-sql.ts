import { CommandKind, commandKeyText, RECOVERY_KINDS, type CommandKey, type CommandRepository, type PendingCommand } from '../command-repository';
import { sqlMutation, sqlQuery } from '../query';
import { num, placeholders, rowsWith, text } from './sql-values';

const COLUMNS = 'datanode_uuid, block_id, kind, generation_stamp, num_bytes, deliveries';

const toPending = (r: Readonly<Record<string, unknown>>): PendingCommand => ({
  datanodeUuid: text(r['datanode_uuid']),
  blockId: num(r['block_id']),
  kind: num(r['kind']) as CommandKind,
  genStamp: num(r['generation_stamp']),
  numBytes: num(r['num_bytes']),
  deliveries: num(r['deliveries']),
});

const keyClause = (keys: readonly CommandKey[], alias = ''): string => keys.map(() => `(${alias}block_id = ? AND ${alias}kind = ?)`).join(' OR ');
const keyParams = (keys: readonly CommandKey[]): number[] => keys.flatMap((k) => [k.blockId, k.kind]);

/** The target rows of the commands in `where`, joined on the command's key. */
const TARGETS_OF = 'LEFT JOIN command_targets t ON t.datanode_uuid = c.datanode_uuid AND t.block_id = c.block_id AND t.kind = c.kind';

export const sqlCommands: CommandRepository = {
  insert: (c, now) => [
    sqlMutation({
      sql: `INSERT INTO datanode_commands (datanode_uuid, block_id, kind, generation_stamp, num_bytes, created_at, handed_out_at, deliveries) VALUES (?,?,?,?,?,?,0,0)
            ON DUPLICATE KEY UPDATE generation_stamp = VALUES(generation_stamp), num_bytes = VALUES(num_bytes), created_at = VALUES(created_at), handed_out_at = 0, deliveries = 0`,
      params: [c.datanodeUuid, c.blockId, c.kind, c.genStamp, c.numBytes, now],
    }),
    // An invalidation never names targets: deleting a file costs one statement a replica, not two.
    ...(c.kind === CommandKind.Invalidate
      ? []
      : [sqlMutation({ sql: 'DELETE FROM command_targets WHERE datanode_uuid = ? AND block_id = ? AND kind = ?', params: [c.datanodeUuid, c.blockId, c.kind] })]),
    ...(c.targets.length === 0
      ? []
      : [
          sqlMutation({
            sql: `INSERT INTO command_targets (datanode_uuid, block_id, kind, position, target_uuid) VALUES ${c.targets.map(() => '(?,?,?,?,?)').join(',')}`,
            params: c.targets.flatMap((t, i) => [c.datanodeUuid, c.blockId, c.kind, i, t]),
          }),
        ]),
  ],
  findDueByDatanodeForUpdate: (uuid, handedOutBefore, limit) =>
    sqlQuery(
      { sql: `SELECT ${COLUMNS} FROM datanode_commands WHERE datanode_uuid = ? AND handed_out_at < ? ORDER BY created_at LIMIT ? FOR UPDATE`, params: [uuid, handedOutBefore, limit] },
      rowsWith(toPending),
    ),
  findTargetsBatched: (uuid, keys) =>
    sqlQuery(
      {
        sql: `SELECT block_id, kind, target_uuid FROM command_targets WHERE datanode_uuid = ? AND (${keyClause(keys)}) ORDER BY block_id, kind, position`,
        params: [uuid, ...keyParams(keys)],
      },
      (result) => {
        const out = new Map<string, string[]>();
        for (const r of rowsWith((row) => ({ key: commandKeyText({ blockId: num(row['block_id']), kind: num(row['kind']) }), target: text(row['target_uuid']) }))(result)) {
          const list = out.get(r.key) ?? [];
          list.push(r.target);
          out.set(r.key, list);
        }
        return out;
      },
    ),
  markHandedOut: (uuid, keys, now) =>
    sqlMutation({
      sql: `UPDATE datanode_commands SET handed_out_at = ?, deliveries = deliveries + 1 WHERE datanode_uuid = ? AND (${keyClause(keys)})`,
      params: [now, uuid, ...keyParams(keys)],
    }),
  deleteByPkBatched: (uuid, keys) =>
    sqlMutation({
      sql: `DELETE c, t FROM datanode_commands c ${TARGETS_OF} WHERE c.datanode_uuid = ? AND (${keyClause(keys, 'c.')})`,
      params: [uuid, ...keyParams(keys)],
    }),
  deleteByDatanode: (uuid) => sqlMutation({ sql: `DELETE c, t FROM datanode_commands c ${TARGETS_OF} WHERE c.datanode_uuid = ?`, params: [uuid] }),
  confirmReceived: (copies) => {
    // Copies of several datanodes (a batch of their reports) in two statements.
    const ids = [...new Set(copies.map((c) => c.blockId))];
    const uuids = [...new Set(copies.map((c) => c.uuid))];
    return [
      sqlMutation({
        sql: `DELETE c, t FROM datanode_commands c ${TARGETS_OF}
              WHERE c.datanode_uuid IN (${placeholders(uuids.length)}) AND c.block_id IN (${placeholders(ids.length)}) AND c.kind IN (${placeholders(RECOVERY_KINDS.length)})
                AND (${copies.map(() => '(c.datanode_uuid = ? AND c.block_id = ? AND c.generation_stamp <= ?)').join(' OR ')})`,
        params: [...uuids, ...ids, ...RECOVERY_KINDS, ...copies.flatMap((c) => [c.uuid, c.blockId, c.genStamp])],
      }),
      sqlMutation({
        sql: `DELETE c, t FROM datanode_commands c
                JOIN command_targets m ON m.datanode_uuid = c.datanode_uuid AND m.block_id = c.block_id AND m.kind = c.kind
                  AND m.target_uuid IN (${placeholders(uuids.length)})
                ${TARGETS_OF}
              WHERE c.block_id IN (${placeholders(ids.length)}) AND c.kind = ${CommandKind.Transfer}
                AND (${copies.map(() => '(m.target_uuid = ? AND c.block_id = ?)').join(' OR ')})`,
        params: [...uuids, ...ids, ...copies.flatMap((c) => [c.uuid, c.blockId])],
      }),
    ];
  },
  findDatanodesWithDue: (uuids, handedOutBefore) =>
    sqlQuery(
      { sql: `SELECT DISTINCT datanode_uuid FROM datanode_commands WHERE datanode_uuid IN (${placeholders(uuids.length)}) AND handed_out_at < ?`, params: [...uuids, handedOutBefore] },
      rowsWith((r) => text(r['datanode_uuid'])),
    ),
  findHandedOutInvalidations: (uuid, handedOutBefore) =>
    sqlQuery(
      {
        sql: `SELECT ${COLUMNS} FROM datanode_commands WHERE datanode_uuid = ? AND kind = ${CommandKind.Invalidate} AND handed_out_at > 0 AND handed_out_at < ?`,
        params: [uuid, handedOutBefore],
      },
      rowsWith(toPending),
    ),
  findRecoveryHolders: (blockId) =>
    sqlQuery(
      { sql: `SELECT datanode_uuid FROM datanode_commands WHERE block_id = ? AND kind IN (${placeholders(RECOVERY_KINDS.length)})`, params: [blockId, ...RECOVERY_KINDS] },
      rowsWith((r) => text(r['datanode_uuid'])),
    ),
};
